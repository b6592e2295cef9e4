package sluice.core.account;

/**
 * What an administrator may do, with Exchange Online's role names. Kept in core because it is stored;
 * the admin API maps it to its own authorization role.
 */
public enum AdminRole {
    /** Everything, in every organization. */
    GLOBAL_ADMIN,
    /** Everything within its own organizations, except creating or deleting organizations. */
    ORG_ADMIN,
    /** Reads within its own organizations; changes nothing but quarantine releases. */
    HELPDESK
}
