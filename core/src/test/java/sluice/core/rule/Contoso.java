package sluice.core.rule;

import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.testing.MemoryDirectory;

/** The organization the rule tests run in. */
final class Contoso {

    private Contoso() {
    }

    /** Creates Contoso with contoso.example as its authoritative domain; returns its id. */
    static String organization(MemoryDirectory directory) {
        String org = directory.createOrganization("Contoso", false).id();
        directory.createAcceptedDomain(org, Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        return org;
    }
}
