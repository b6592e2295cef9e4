package sluice.admin.auth;

import sluice.core.account.AdminRole;

/** The administrative roles, as Exchange Online names them. */
public enum Role {
    /** Everything, in every organization. */
    GLOBAL_ADMIN,
    /** Everything within its own organizations; cannot create or delete organizations. */
    ORG_ADMIN,
    /** Reads within its own organizations; changes nothing (quarantine release comes with quarantine). */
    HELPDESK;

    public static Role of(AdminRole stored) {
        return switch (stored) {
            case GLOBAL_ADMIN -> GLOBAL_ADMIN;
            case ORG_ADMIN -> ORG_ADMIN;
            case HELPDESK -> HELPDESK;
        };
    }
}
