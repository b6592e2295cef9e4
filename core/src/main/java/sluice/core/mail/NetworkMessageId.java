package sluice.core.mail;

import java.util.UUID;

/** Follows every copy of one message through the deployment, as EOP's network message id does. */
public record NetworkMessageId(UUID value) {
    public static NetworkMessageId random() {
        return new NetworkMessageId(UUID.randomUUID());
    }

    public static NetworkMessageId parse(String s) {
        return new NetworkMessageId(UUID.fromString(s));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
