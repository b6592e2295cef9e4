package sluice.core.filter.spoof;

import sluice.core.mail.PublicSuffixList;
import sluice.core.mail.Domain;

/** Relaxed alignment (RFC 7489 section 3.1) for composite authentication without a DMARC record. */
final class Relaxed {

    private Relaxed() {
    }

    static boolean sameOrganization(String a, String b) {
        try {
            PublicSuffixList psl = PublicSuffixList.bundled();
            return psl.organizationalDomain(new Domain(a)).equals(psl.organizationalDomain(new Domain(b)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
