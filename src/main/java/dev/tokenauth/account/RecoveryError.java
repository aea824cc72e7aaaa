package dev.tokenauth.account;

import dev.tokenauth.error.ErrorCode;

/** The field codes of addresses, codes and mail (see docs/api.md). */
public enum RecoveryError implements ErrorCode {

    /** The address belongs to another account. */
    EMAIL_TAKEN,
    /**
     * The code is wrong, expired, used, replaced or spent (too many tries), or the address has no
     * account with a verified address: one answer for all, so it tells nothing about accounts.
     */
    INVALID_CODE,
    /** Too many mails to this address or from this source address; extensions.retryAfterSeconds. */
    MAIL_THROTTLED,
    /** The mail service did not take the mail; no code was left usable. Retry later. */
    MAIL_NOT_SENT
}
