package dev.tokenauth.mail.ses;

import dev.tokenauth.mail.Mail;
import dev.tokenauth.mail.MailNotSentException.Reason;
import dev.tokenauth.mail.MailNotSentException;
import dev.tokenauth.mail.Mailer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * Mail through Amazon SES (API v2, {@code SendEmail} with simple content: subject, text and HTML
 * in UTF-8) from one verified sender. Every failure is a {@link MailNotSentException}: throttled
 * (rate or quota), rejected (this mail or this sender), or unavailable.
 */
public final class SesMailer implements Mailer {

    private static final String UTF_8 = "UTF-8";

    private final SesV2Client ses;
    private final String from;

    public SesMailer(SesV2Client ses, String from) {
        this.ses = ses;
        this.from = from;
    }

    @Override
    public void send(Mail mail) {
        try {
            ses.sendEmail(request(from, mail));
        } catch (TooManyRequestsException | LimitExceededException | SendingPausedException e) {
            throw notSent(Reason.THROTTLED, e);
        } catch (MessageRejectedException | MailFromDomainNotVerifiedException | AccountSuspendedException
                 | BadRequestException | NotFoundException e) {
            throw notSent(Reason.REJECTED, e);
        } catch (SdkException e) {
            throw notSent(Reason.UNAVAILABLE, e);
        }
    }

    /**
     * Loads the request model classes before a snapshot, without sending anything (the client itself
     * is built at start-up). Sending is left unprimed: it would need credentials and a network call.
     */
    public void prime() {
        request(from, new Mail("priming", "priming@example.invalid", "priming", "priming", "<p>priming</p>"));
    }

    /** The request for {@code mail}. */
    public static SendEmailRequest request(String from, Mail mail) {
        return SendEmailRequest.builder()
                .fromEmailAddress(from)
                .destination(destination -> destination.toAddresses(mail.to()))
                .content(content -> content.simple(message -> message
                        .subject(subject -> subject.data(mail.subject()).charset(UTF_8))
                        .body(body -> body
                                .text(text -> text.data(mail.text()).charset(UTF_8))
                                .html(html -> html.data(mail.html()).charset(UTF_8)))))
                .build();
    }

    private static MailNotSentException notSent(Reason reason, SdkException e) {
        // The SDK's message names the error, never the recipient or the body.
        return new MailNotSentException(reason, "SES SendEmail failed (" + reason + "): " + e.getClass().getSimpleName(), e);
    }
}
