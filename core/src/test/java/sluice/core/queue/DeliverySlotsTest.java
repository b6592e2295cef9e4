package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.org.Mailbox;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's slots and each destination's share: who waits, who holds what, and that idle destinations are forgotten. */
class DeliverySlotsTest {

    private static final Route.ToMx SLOW = new Route.ToMx(Domain.of("slow.example"), new TlsPolicy.Opportunistic());
    private static final Route.ToMx OTHER = new Route.ToMx(Domain.of("other.example"), new TlsPolicy.Opportunistic());

    @Test
    void aDeliveryWaitingForItsDestinationHoldsNoNodeSlotAndLetsGoOfWhatItHolds() throws Exception {
        DeliverySlots slots = new DeliverySlots(2, 1);
        CountDownLatch inSlow = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger waitedBeforeParking = new AtomicInteger();
        Thread first = Thread.ofVirtual().start(() -> run(slots, SLOW, () -> {}, () -> {
            inSlow.countDown();
            await(release);
        }));
        assertThat(inSlow.await(5, TimeUnit.SECONDS)).isTrue();
        Thread second = Thread.ofVirtual().start(() -> run(slots, SLOW, waitedBeforeParking::incrementAndGet, () -> {}));
        while (!QueueScenarios.ThreadPerTask.parked(second)) Thread.sleep(5);

        CountDownLatch otherDone = new CountDownLatch(1);
        Thread other = Thread.ofVirtual().start(() -> run(slots, OTHER, () -> {}, otherDone::countDown));
        assertThat(otherDone.await(5, TimeUnit.SECONDS)).as("the second node slot is free for another destination").isTrue();
        assertThat(waitedBeforeParking.get()).as("told to let go before it waited").isEqualTo(1);

        release.countDown();
        for (Thread t : List.of(first, second, other)) assertThat(t.join(java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(slots.destinationsInUse()).as("idle destinations are forgotten").isZero();
    }

    @Test
    void aFreedNodeSlotGoesToTheDeliveryThatWaitedNotToANewcomer() throws Exception {
        DeliverySlots slots = new DeliverySlots(1, 1);
        List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // hosted mailboxes take a node slot only, so nothing but the node slot stands between the two calls
        Route.ToMailbox hosted = new Route.ToMailbox(new Mailbox("x", "o", sluice.core.mail.Address.parse("a@b.example"),
                List.of(), "A", null, 0));
        Thread first = Thread.ofVirtual().start(() -> {
            run(slots, hosted, () -> {}, () -> {
                inFirst.countDown();
                await(release);
            });
            run(slots, hosted, () -> {}, () -> order.add("newcomer")); // asks the moment the slot is free
        });
        assertThat(inFirst.await(5, TimeUnit.SECONDS)).isTrue();
        Thread waiter = Thread.ofVirtual().start(() -> run(slots, OTHER, () -> {}, () -> order.add("waiter")));
        while (!QueueScenarios.ThreadPerTask.parked(waiter)) Thread.sleep(5);

        release.countDown();
        for (Thread t : List.of(first, waiter)) assertThat(t.join(java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(order).as("first come, first served").containsExactly("waiter", "newcomer");
    }

    @Test
    void theDestinationIsTheDomainForMxTheHostListForSmartHostsAndNoneForMailboxes() {
        assertThat(DeliverySlots.destination(SLOW))
                .isEqualTo(DeliverySlots.destination(new Route.ToMx(Domain.of("SLOW.example"), new TlsPolicy.Opportunistic(), "c1")));
        List<HostPort> hosts = List.of(new HostPort("relay.example", 25));
        assertThat(DeliverySlots.destination(new Route.ToSmartHost(hosts, new TlsPolicy.Opportunistic(), "a", false, true)))
                .isEqualTo(DeliverySlots.destination(new Route.ToSmartHost(hosts, new TlsPolicy.Opportunistic(), "b", false, true)));
        assertThat(DeliverySlots.destination(new Route.ToMailbox(new Mailbox("x", "o", sluice.core.mail.Address.parse("a@b.example"),
                List.of(), "A", null, 0)))).isNull();
    }

    private static void run(DeliverySlots slots, Route route, Runnable beforeWaiting, Runnable delivery) {
        try {
            slots.deliver(route, beforeWaiting, () -> false, nodeSlot -> nodeSlot.admit(() -> {
                delivery.run();
                return null;
            }));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DeliverySlots.Busy e) {
            throw new AssertionError("these scenarios wait for less than the destination wait", e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
