package io.meridian.security;

/** The roles of the contract, as they appear in a token's {@code groups} claim. */
public final class Roles {

    /** Client apps: routing plans and reservations. */
    public static final String MEETING_CLIENT = "meeting-client";
    /** Meeting admins: region policies of the accounts in the token's {@code accounts} claim. */
    public static final String REGION_ADMIN = "region-admin";
    /** Operations: data-center status and load reports. */
    public static final String OPS = "ops";

    private Roles() {
    }
}
