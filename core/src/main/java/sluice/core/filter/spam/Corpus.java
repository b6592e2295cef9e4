package sluice.core.filter.spam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * The SpamAssassin public corpus as PRODUCT.md splits it ("Spam corpus split"): training on
 * easy-ham-1, spam-1 and hard-ham-1 ids ≤ 00125; held-out evaluation on easy-ham-2, spam-2 and
 * hard-ham-1 ids > 00125. The split lives here once so the trainer cannot read held-out mail by
 * accident. Reads {@code <data>/<group>/<id>.<md5>.txt}, strips the mbox "From " line.
 */
final class Corpus {

    static final int HARD_HAM_SPLIT = 125;
    static final int TRAINING_SIZE = 2500 + 500 + 125;
    static final int HELD_OUT_SIZE = 1400 + 1396 + 125;

    record Message(String group, String file, boolean spam, byte[] raw) {
    }

    private Corpus() {
    }

    static List<Message> training(Path data) {
        var out = new ArrayList<Message>();
        out.addAll(group(data, "easy-ham-1", false, id -> true));
        out.addAll(group(data, "spam-1", true, id -> true));
        out.addAll(group(data, "hard-ham-1", false, id -> id <= HARD_HAM_SPLIT));
        return expect(out, TRAINING_SIZE, "training");
    }

    static List<Message> heldOut(Path data) {
        var out = new ArrayList<Message>();
        out.addAll(group(data, "easy-ham-2", false, id -> true));
        out.addAll(group(data, "spam-2", true, id -> true));
        out.addAll(group(data, "hard-ham-1", false, id -> id > HARD_HAM_SPLIT));
        return expect(out, HELD_OUT_SIZE, "held-out");
    }

    private static List<Message> expect(List<Message> messages, int size, String what) {
        if (messages.size() != size) {
            throw new IllegalStateException("the " + what + " split has " + messages.size() + " messages, expected "
                    + size + ": is the corpus complete?");
        }
        return List.copyOf(messages);
    }

    private static List<Message> group(Path data, String group, boolean spam, IntPredicate idFilter) {
        Path dir = data.resolve(group);
        try (Stream<Path> files = Files.list(dir)) {
            var out = new ArrayList<Message>();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList()) {
                String name = f.getFileName().toString();
                int id = Integer.parseInt(name.substring(0, name.indexOf('.')));
                if (idFilter.test(id)) {
                    out.add(new Message(group, name, spam, stripMboxLine(Files.readAllBytes(f))));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus group " + dir, e);
        }
    }

    static byte[] stripMboxLine(byte[] raw) {
        if (raw.length > 5 && raw[0] == 'F' && raw[1] == 'r' && raw[2] == 'o' && raw[3] == 'm' && raw[4] == ' ') {
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == '\n') {
                    return Arrays.copyOfRange(raw, i + 1, raw.length);
                }
            }
        }
        return raw;
    }
}
