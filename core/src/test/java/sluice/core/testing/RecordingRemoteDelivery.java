package sluice.core.testing;

import sluice.core.deliver.Outcome;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A next hop for queue scenarios: records every recipient handed to it and answers what the test says, whatever the route. */
public final class RecordingRemoteDelivery implements RemoteDelivery {

    private final List<String> recipients = new ArrayList<>();
    private volatile Function<QueuedRecipient, Outcome> answer;

    public RecordingRemoteDelivery(Function<QueuedRecipient, Outcome> answer) {
        this.answer = answer;
    }

    /** Answers {@code answer} from now on. */
    public void answer(Function<QueuedRecipient, Outcome> answer) {
        this.answer = answer;
    }

    /** Every recipient address delivered to so far, one entry per attempt. */
    public synchronized List<String> recipients() {
        return List.copyOf(recipients);
    }

    @Override
    public List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage message, List<QueuedRecipient> rs) {
        return recorded(rs);
    }

    @Override
    public List<Outcome> deliver(Route.ToMx route, QueuedMessage message, List<QueuedRecipient> rs) {
        return recorded(rs);
    }

    private List<Outcome> recorded(List<QueuedRecipient> rs) {
        synchronized (this) {
            rs.forEach(r -> recipients.add(r.address().toString()));
        }
        return rs.stream().map(answer).toList();
    }
}
