package dev.tokenauth.account;

import dev.tokenauth.error.ErrorCode;

/** The field codes of the second factor (see docs/api.md). */
public enum TotpError implements ErrorCode {

    /**
     * A current code is needed: from {@code login}, with {@code extensions.mfaToken} to send to
     * {@code verifyMfa}; from a step-up operation, send its {@code code} argument.
     */
    MFA_REQUIRED,
    /**
     * The code is wrong or was used already, or the mfa token is invalid, expired, used or spent
     * (5 wrong codes): one answer for all.
     */
    INVALID_MFA_CODE
}
