package sluice.core.deliver.remote;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundConnector.HostReport;
import sluice.core.connector.OutboundConnector.Validation;
import sluice.core.deliver.Outcome;
import sluice.core.dns.Dns;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.route.TlsPolicy;
import sluice.core.trace.Incident;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.client.Timeouts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Validates an outbound connector (EOP's "validate connector"): connects to each smart host (or,
 * with {@code useMxRecord}, to each MX host of its first recipient domain) exactly as delivery would
 * (same resolution, EHLO, STARTTLS and certificate checks under the connector's {@code tlsSettings}),
 * and optionally sends a test message through the first host that passes. Every failure is a
 * {@link HostReport} with {@code succeeded=false} and the reason: this class never throws, so the
 * admin API always has a report to store and show. Each network step is bounded by the timeouts.
 *
 * <p>The report is shown to the organization's administrators, who name the hosts and ports. So that it
 * cannot read the banner of any service the node reaches (SSH versions, database errors), what a peer
 * sent appears only when it is a well-formed, plain-text SMTP reply, anything else is "{@value PeerText#NOT_SMTP}",
 * without its bytes ({@link PeerText}). The hosts a
 * tenant may name are those delivery would use: not this node's own addresses unless a global administrator
 * allowed them ({@link OutboundConnector#localHopsAllowed}).
 */
public final class ConnectorValidator {

    private static final Logger log = LoggerFactory.getLogger(ConnectorValidator.class);
    /** An administrator is waiting on the answer: no step may take the RFC's minutes. */
    private static final Duration MAX_STEP = Duration.ofSeconds(20);
    static final String SUBJECT = "Sluice connector validation test";

    private final Targets targets;
    private final HostCheck check;
    private final String heloName;
    private final InstantSource clock;
    private final NodeAddresses thisNode;

    public ConnectorValidator(Dns dns, RemoteDeliveryOptions options, InstantSource clock) {
        this.targets = new Targets(dns, options);
        Timeouts t = options.timeouts();
        Timeouts bounded = new Timeouts(cap(t.connect()), cap(t.greeting()), cap(t.command()), cap(t.dataInitiation()),
                cap(t.dataBlock()), cap(t.dataTermination()));
        this.check = new HostCheck(new SecureConnector(options.heloName(), bounded, options.trust(), options.clientKeys()));
        this.heloName = options.heloName();
        this.clock = clock;
        this.thisNode = options.thisNode();
    }

    /** What counts as this node for delivery, so the admin API refuses exactly what delivery would skip. */
    public NodeAddresses thisNode() {
        return thisNode;
    }

    /**
     * @param testRecipients where to send a test message; empty for a connection test only
     * @param senderDomain   the domain of the test message's sender ({@code postmaster@}); null for our HELO name
     */
    public Validation validate(OutboundConnector connector, List<Address> testRecipients, Domain senderDomain) {
        List<HostReport> reports = new ArrayList<>();
        try {
            TlsPolicy policy = TlsPolicy.of(connector);
            String requiredBy = "connector " + connector.name();
            Envelope test = testRecipients.isEmpty() ? null : testMessage(testRecipients, senderDomain);
            for (NextHop hop : nextHops(connector, testRecipients)) {
                HostReport r = switch (hop.resolution()) {
                    case Targets.Hosts h -> check.run(hop.host(), h.targets(), policy, requiredBy, test);
                    case Targets.Fail f -> new HostReport(hop.host(), false, List.of("resolving " + hop.host()), f.outcome().detail());
                };
                if (r.succeeded()) test = null; // one test message is enough, whichever host took it
                reports.add(r);
            }
        } catch (RuntimeException e) {
            // The report is stored and shown to the tenant: the exception's text (paths, addresses, state
            // of the node) goes to the operator's log only, found there by the reference.
            Incident incident = Incident.logged(log, "validating connector " + connector.id(), e);
            reports.add(new HostReport("(validation)", false, List.of(), incident.text()
                    + ": the validation could not finish; the operator of this service finds the details in the node's log under that reference"));
        }
        boolean ok = !reports.isEmpty() && reports.stream().allMatch(HostReport::succeeded);
        return new Validation(clock.instant(), ok, reports);
    }

    /** One entry of the report: a smart host as configured, or one MX host, with its addresses. */
    private record NextHop(String host, Targets.Resolution resolution) {
    }

    private List<NextHop> nextHops(OutboundConnector connector, List<Address> testRecipients) {
        List<NextHop> hops = new ArrayList<>();
        if (!connector.useMxRecord()) {
            for (HostPort hp : connector.smartHosts())
                hops.add(new NextHop(hp.toString(), targets.forSmartHosts(List.of(hp), connector.name(), connector.localHopsAllowed())));
            return hops;
        }
        Domain domain = mxDomain(connector, testRecipients);
        if (domain == null)
            return List.of(new NextHop("MX", fail("the connector has no exact recipient domain whose MX could be looked up; "
                    + "give test recipients to validate MX delivery")));
        switch (targets.forMx(domain)) {
            case Targets.Fail f -> hops.add(new NextHop("MX of " + domain, f));
            case Targets.Hosts h -> {
                // Targets lists every address of every MX host; the report is per host, addresses tried in order.
                Map<String, List<Target>> byHost = new LinkedHashMap<>();
                for (Target t : h.targets()) byHost.computeIfAbsent(t.host(), k -> new ArrayList<>()).add(t);
                byHost.forEach((host, ts) -> hops.add(new NextHop(host, new Targets.Hosts(ts))));
            }
        }
        return hops;
    }

    /** The first exact recipient domain, else the domain of the first test recipient. */
    private static Domain mxDomain(OutboundConnector connector, List<Address> testRecipients) {
        for (DomainPattern p : connector.recipientDomains())
            if (!p.isWildcard()) return Domain.of(p.pattern());
        return testRecipients.isEmpty() ? null : testRecipients.getFirst().domain();
    }

    private static Targets.Fail fail(String why) {
        return new Targets.Fail(new Outcome.Deferred("451 4.4.0 " + why, why));
    }

    private Envelope testMessage(List<Address> recipients, Domain senderDomain) {
        String from = "postmaster@" + (senderDomain != null ? senderDomain.name() : heloName);
        String to = String.join(", ", recipients.stream().map(Address::toString).toList());
        String text = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + SUBJECT + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC)) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@" + heloName + ">\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "This message was sent by Sluice to validate an outbound connector. No action is needed.\r\n";
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        boolean utf8 = !Envelope.isAscii(to);
        List<RcptTo> rcpts = recipients.stream().map(a -> new RcptTo(a.toString(), Set.of(), null)).toList();
        return new Envelope(new MailFrom(from, content.length, MailFrom.Body.SEVEN_BIT, utf8, null, null), rcpts, content,
                utf8 ? Envelope.Utf8Need.ADDRESS : null);
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX_STEP) > 0 ? MAX_STEP : d;
    }
}
