package io.meridian.web;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;

import java.io.DataInput;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * JSON bodies must be UTF-8 (RFC 8259), and exactly UTF-8: Jackson's own decoder reads the overlong
 * {@code C0 AF} as {@code /} and UTF-8-encoded surrogates as characters, and takes a body with NUL
 * bytes for UTF-16. This decorator of the JSON factory checks every byte before Jackson sees it
 * (arrays at once, streams as they are read) and refuses, with a 400 in the client's terms:
 * overlong forms, encoded surrogates, code points above U+10FFFF, stray continuation bytes,
 * sequences cut short, and NUL bytes (no JSON text has one).
 */
final class StrictUtf8 extends InputDecorator {

    @Override
    public InputStream decorate(IOContext context, InputStream in) {
        return new Checked(in);
    }

    @Override
    public InputStream decorate(IOContext context, byte[] src, int offset, int length) throws IOException {
        Checker checker = new Checker();
        checker.check(src, offset, length);
        checker.end();
        // valid: let Jackson read the array itself
        return null;
    }

    @Override
    public DataInput decorate(IOContext context, DataInput input) {
        return input;
    }

    @Override
    public Reader decorate(IOContext context, Reader reader) {
        return reader;
    }

    /** A byte-by-byte UTF-8 validator (RFC 3629, table 3-7 of the Unicode standard). */
    static final class Checker {
        private long offset;
        private int pending;
        private int low = 0x80;
        private int high = 0xBF;

        void check(byte[] bytes, int from, int length) throws JsonInputProblem {
            for (int i = from, end = from + length; i < end; i++, offset++) {
                int b = bytes[i] & 0xFF;
                if (pending > 0) {
                    if (b < low || b > high) {
                        throw invalid();
                    }
                    pending--;
                    low = 0x80;
                    high = 0xBF;
                } else if (b < 0x80) {
                    if (b == 0) {
                        throw new JsonInputProblem(null, "contains a NUL byte at offset " + offset
                                + "; JSON text is UTF-8 and has none", null);
                    }
                } else if (b >= 0xC2 && b <= 0xDF) {
                    pending = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    pending = 2;
                    low = b == 0xE0 ? 0xA0 : 0x80;
                    high = b == 0xED ? 0x9F : 0xBF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    pending = 3;
                    low = b == 0xF0 ? 0x90 : 0x80;
                    high = b == 0xF4 ? 0x8F : 0xBF;
                } else {
                    throw invalid();
                }
            }
        }

        void end() throws JsonInputProblem {
            if (pending > 0) {
                throw invalid();
            }
        }

        private JsonInputProblem invalid() {
            return new JsonInputProblem(null, "is not valid UTF-8 at byte offset " + offset + " (JSON text must be "
                    + "UTF-8; overlong forms, encoded surrogates and cut-off sequences are refused)", null);
        }
    }

    /** A stream that checks what it passes on. */
    private static final class Checked extends FilterInputStream {
        private final Checker checker = new Checker();
        private final byte[] one = new byte[1];

        Checked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                checker.end();
            } else {
                checker.check(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skipping is not supported by the UTF-8 check");
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
