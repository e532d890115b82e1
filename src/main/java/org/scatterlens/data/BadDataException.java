package org.scatterlens.data;

import java.nio.file.Path;

/**
 * Input that is not what its format says: names the file, the line (0 when the
 * problem is the whole file) and the offending text. An IllegalArgumentException
 * because the fix is the user's (another file, {@code --format}, {@code --skip-bad-lines}).
 */
public final class BadDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String text;

    /** A bad line: "FILE, line N: REASON: "TEXT"". */
    public BadDataException(Path file, long line, String reason, String text) {
        super(file + ", line " + line + ": " + reason + (text == null ? "" : ": \"" + text + "\""));
        this.file = file;
        this.line = line;
        this.text = text;
    }

    /** A bad file: "FILE: REASON". */
    public BadDataException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.line = 0;
        this.text = null;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number, 0 when the whole file is at fault. */
    public long line() {
        return line;
    }

    /** The offending line as shown (control bytes escaped, long lines cut), or null. */
    public String text() {
        return text;
    }
}
