package dev.tokenauth.memory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;

/** Every security event recorded, in order. */
public final class RecordedEvents implements SecurityEvents {

    public final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(SecurityEvent event) {
        events.add(event);
    }

    public List<SecurityEvent.Type> types() {
        return events.stream().map(SecurityEvent::type).toList();
    }
}
