package sluice.core.filter.spam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One organization's own training ("junk" / "not junk" reports), layered over the read-only
 * global {@link SpamModel}: at scoring time a token's counts are the global counts plus these,
 * and likewise the message totals, so a few reports shift the words they contain without
 * retraining the shipped model. Thread-safe: many classifications read while reports write.
 *
 * <p>Persistence is the store's job: {@link #writeTo} and {@link #readFrom} move the counts as
 * UTF-8 text ({@code messages\t<spam>\t<ham>} then {@code <spam>\t<ham>\t<token>} lines, sorted).
 * Memory is bounded by {@link #MAX_TOKENS}; once full, new tokens are not added (known tokens
 * still count), which degrades learning, never the server.
 */
public final class OrgSpamModel {

    public static final int MAX_TOKENS = 1_000_000;
    private static final String MAGIC = "sluice-spam-overlay\t1";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, int[]> counts = new HashMap<>();
    private int nspam;
    private int nham;

    /** Counts one message as spam (a junk report) or ham (a not-junk report). Never throws on bad MIME. */
    public void learn(byte[] message, boolean spam) {
        var tokens = Tokenizer.tokenize(MessageParser.parse(message));
        lock.writeLock().lock();
        try {
            if (spam) {
                nspam++;
            } else {
                nham++;
            }
            for (String t : tokens) {
                int[] c = counts.get(t);
                if (c == null) {
                    if (counts.size() >= MAX_TOKENS) {
                        continue;
                    }
                    c = new int[2];
                    counts.put(t, c);
                }
                c[spam ? 0 : 1]++;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public int spamMessages() {
        lock.readLock().lock();
        try {
            return nspam;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int hamMessages() {
        lock.readLock().lock();
        try {
            return nham;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Overlay counts for the given tokens, in iteration order, packed like {@link TokenTable}
     * (spam high, ham low), plus the totals in the last two slots; one lock for the lot.
     */
    long[] snapshot(Collection<String> tokens) {
        long[] out = new long[tokens.size() + 2];
        lock.readLock().lock();
        try {
            int i = 0;
            for (String t : tokens) {
                int[] c = counts.get(t);
                out[i++] = c == null ? 0L : ((long) c[0] << 32) | c[1];
            }
            out[i++] = nspam;
            out[i] = nham;
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /** Writes the counts as sorted UTF-8 text; the same counts always give the same bytes. */
    public void writeTo(OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        lock.readLock().lock();
        try {
            w.write(MAGIC + "\nmessages\t" + nspam + "\t" + nham + "\n");
            for (var e : new TreeMap<>(counts).entrySet()) {
                w.write(e.getValue()[0] + "\t" + e.getValue()[1] + "\t" + e.getKey() + "\n");
            }
        } finally {
            lock.readLock().unlock();
        }
        w.flush();
    }

    /** Reads what {@link #writeTo} wrote; {@link IOException} names the bad line. */
    public static OrgSpamModel readFrom(InputStream in) throws IOException {
        var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String magic = r.readLine() + "\t" + r.readLine();
        var model = new OrgSpamModel();
        String[] header = magic.split("\t");
        if (header.length != 5 || !(header[0] + "\t" + header[1]).equals(MAGIC) || !header[2].equals("messages")) {
            throw new IOException("not a Sluice spam overlay (version 1)");
        }
        try {
            model.nspam = Integer.parseInt(header[3]);
            model.nham = Integer.parseInt(header[4]);
            String line;
            int lineNo = 2;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] f = line.split("\t", 3);
                if (f.length != 3) {
                    throw new IOException("overlay line " + lineNo + " is not <spam>\\t<ham>\\t<token>");
                }
                if (model.counts.size() < MAX_TOKENS) {
                    model.counts.put(f[2], new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])});
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException("bad number in spam overlay: " + e.getMessage(), e);
        }
        return model;
    }
}
