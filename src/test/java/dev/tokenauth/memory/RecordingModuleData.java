package dev.tokenauth.memory;

import java.util.ArrayList;
import java.util.List;

import dev.tokenauth.account.UserDataDeletion;

/** A module's deletion hook that records the users it deleted, and fails while told to. */
public final class RecordingModuleData implements UserDataDeletion {

    public final List<String> deleted = new ArrayList<>();
    public volatile boolean failing;

    @Override
    public void deleteUserData(String userId) {
        if (failing) {
            throw new IllegalStateException("the module's table is unreachable");
        }
        deleted.add(userId);
    }
}
