package dev.tokenauth.audit;

/** Where security events go. Implementations must not throw: recording never fails a request. */
@FunctionalInterface
public interface SecurityEvents {

    void record(SecurityEvent event);
}
