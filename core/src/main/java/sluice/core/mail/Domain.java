package sluice.core.mail;

import java.net.IDN;
import java.util.Locale;

/**
 * A DNS domain name in canonical form: lower case, A-labels (punycode) for international names, no
 * trailing dot. Address literals ({@code [192.0.2.1]}) are not domains; {@link Address} keeps them apart.
 */
public record Domain(String name) {

    public Domain {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty domain");
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        String ascii;
        try {
            ascii = IDN.toASCII(name); // not STD3: DNS names such as _dmarc.example.org carry underscores
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid domain: " + name, e);
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (ascii.length() > 253 || ascii.isEmpty() || ascii.startsWith(".") || ascii.contains("..")
                || !ascii.matches("[a-z0-9_.-]+") || ascii.startsWith("-") || ascii.contains(".-") || ascii.contains("-."))
            throw new IllegalArgumentException("invalid domain: " + name);
        name = ascii;
    }

    public static Domain of(String name) {
        return new Domain(name);
    }

    /** True when this domain equals {@code other} or is a subdomain of it. */
    public boolean isWithin(Domain other) {
        return name.equals(other.name) || name.endsWith("." + other.name);
    }

    /** The parent domain, or null for a single label. */
    public Domain parent() {
        int dot = name.indexOf('.');
        return dot < 0 ? null : new Domain(name.substring(dot + 1));
    }

    @Override
    public String toString() {
        return name;
    }
}
