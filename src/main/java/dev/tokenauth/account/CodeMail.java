package dev.tokenauth.account;

import java.time.Instant;
import java.util.Map;

import dev.tokenauth.mail.Mail;
import dev.tokenauth.mail.MailTemplates;
import dev.tokenauth.mail.Mailer;
import dev.tokenauth.user.EmailStore.Purpose;
import dev.tokenauth.user.EmailStore.StoredCode;
import dev.tokenauth.user.EmailStore;
import dev.tokenauth.user.User;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A new code, stored (replacing the user's earlier code of its purpose) and then mailed. A code is
 * stored before its mail goes, so that a new request always ends the old code; when the mail
 * service does not take the mail, the code is voided at once: no code is left usable that nobody
 * received.
 */
final class CodeMail {

    private static final Log log = LogFactory.getLog(CodeMail.class);

    private final EmailStore store;
    private final EmailCodes codes;
    private final Mailer mailer;
    private final MailTemplates templates;

    CodeMail(EmailStore store, EmailCodes codes, Mailer mailer, MailTemplates templates) {
        this.store = store;
        this.codes = codes;
        this.mailer = mailer;
        this.templates = templates;
    }

    /**
     * Stores and mails a code for {@code purpose} to {@code address}. False when the store's
     * condition failed (the address is no longer the user's, or not verified for a reset): nothing
     * is sent. Throws what the mailer threw ({@code MailNotSentException}) once the code is voided.
     */
    boolean send(User user, Purpose purpose, String address, Instant now) {
        String code = codes.newCode();
        String hash = codes.hash(purpose, user.userId(), address, code);
        if (!store.storeCode(user, purpose, new StoredCode(hash, address, now.plus(codes.ttl()), 0))) {
            return false;
        }
        String template = purpose == Purpose.VERIFY ? MailTemplates.EMAIL_VERIFICATION : MailTemplates.PASSWORD_RESET;
        Mail mail = templates.render(template, address, Map.of("username", user.username(), "code", code,
                "minutes", Long.toString(codes.ttl().toMinutes())));
        try {
            mailer.send(mail);
            return true;
        } catch (RuntimeException e) {
            store.voidCode(user, purpose, hash);
            // The user id and the failure only: never the address, never the code.
            log.warn("Mail " + template + " to user " + user.userId() + " not sent, its code voided: " + e.getMessage());
            throw e;
        }
    }
}
