package sluice.core.mail;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The Public Suffix List (https://publicsuffix.org/list/, MPL-2.0; the bundled copy is the list's
 * {@code VERSION: 2026-10-06_16-13-12_UTC}, unchanged, with its licence header: with no internet here it was
 * taken from Apache HttpClient 5.6.5 on Maven Central, {@code org/publicsuffix/list/effective_tld_names.dat},
 * which bundles the list verbatim) and the organizational domain of RFC 7489
 * section 3.2. Both the ICANN and the private sections are used, as DMARC implementations commonly
 * do. Loaded once per JVM.
 */
public final class PublicSuffixList {

    private static final String RESOURCE = "public_suffix_list.dat";

    private final Set<String> rules;
    private final Set<String> wildcards;
    private final Set<String> exceptions;

    private PublicSuffixList(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
        this.rules = rules;
        this.wildcards = wildcards;
        this.exceptions = exceptions;
    }

    private static final class Bundled {
        static final PublicSuffixList LIST = load();
    }

    /** The bundled list. */
    public static PublicSuffixList bundled() {
        return Bundled.LIST;
    }

    private static PublicSuffixList load() {
        try (InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the public suffix list " + RESOURCE + " is missing from the classpath");
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public suffix list", e);
        }
    }

    static PublicSuffixList parse(BufferedReader reader) throws IOException {
        Set<String> rules = new HashSet<>();
        Set<String> wildcards = new HashSet<>();
        Set<String> exceptions = new HashSet<>();
        for (String line; (line = reader.readLine()) != null; ) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("//")) continue;
            String rule = line.split("\\s")[0];
            try {
                if (rule.startsWith("!")) exceptions.add(ascii(rule.substring(1)));
                else if (rule.startsWith("*.")) wildcards.add(ascii(rule.substring(2)));
                else rules.add(ascii(rule));
            } catch (IllegalArgumentException e) {
                // an entry that is no domain name can never match one of our (A-label) domains
            }
        }
        return new PublicSuffixList(Set.copyOf(rules), Set.copyOf(wildcards), Set.copyOf(exceptions));
    }

    /** The entry's name as every {@link Domain} is read (UTS #46), so an international entry matches the domain's A-labels. */
    private static String ascii(String name) {
        return Domain.of(name).name();
    }

    /** The public suffix of {@code domain} (the default rule "*" makes an unknown TLD a suffix). */
    public String publicSuffix(Domain domain) {
        String[] labels = domain.name().split("\\.");
        for (int i = 0; i < labels.length; i++) {
            String candidate = String.join(".", java.util.Arrays.copyOfRange(labels, i, labels.length));
            if (exceptions.contains(candidate)) return String.join(".", java.util.Arrays.copyOfRange(labels, i + 1, labels.length));
            if (rules.contains(candidate)) return candidate;
            if (i + 1 < labels.length && wildcards.contains(String.join(".", java.util.Arrays.copyOfRange(labels, i + 1, labels.length))))
                return candidate;
        }
        return labels[labels.length - 1];
    }

    /**
     * RFC 7489 section 3.2: the public suffix plus one label; a domain that is itself a public suffix
     * is its own organizational domain.
     */
    public Domain organizationalDomain(Domain domain) {
        String suffix = publicSuffix(domain);
        String name = domain.name();
        if (name.length() <= suffix.length()) return domain;
        String rest = name.substring(0, name.length() - suffix.length() - 1);
        int dot = rest.lastIndexOf('.');
        return new Domain(rest.substring(dot + 1) + "." + suffix);
    }
}
