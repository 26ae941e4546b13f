package io.meridian.transparency.log;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The primitive encodings of the log's formats, TLS presentation style (RFC 8446 section 3):
 * unsigned big-endian integers of 1, 2, 4 and 8 bytes, and byte strings behind a 1-byte length.
 * A {@link Writer} grows as it goes; a {@link Reader} refuses to read past its end.
 */
final class Wire {

    private Wire() {
    }

    /** Appends encodings to a growing buffer. */
    static final class Writer {
        private byte[] buf;
        private int size;

        Writer(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void room(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        Writer u8(int v) {
            if (v < 0 || v > 0xFF) {
                throw new IllegalArgumentException("not a uint8: " + v);
            }
            room(1);
            buf[size++] = (byte) v;
            return this;
        }

        Writer u16(int v) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("not a uint16: " + v);
            }
            room(2);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
            return this;
        }

        Writer u32(long v) {
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("not a uint32: " + v);
            }
            room(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
            return this;
        }

        /** A uint64 holding a non-negative Java long. */
        Writer u64(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("not a uint64 this log writes: " + v);
            }
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
            return this;
        }

        /** {@code opaque<0..255>}: one length byte, then the bytes. */
        Writer opaque8(byte[] bytes) {
            u8(bytes.length);
            return raw(bytes);
        }

        /** A string as {@code opaque<0..255>} of its UTF-8 bytes. */
        Writer string8(String s) {
            return opaque8(s.getBytes(StandardCharsets.UTF_8));
        }

        Writer raw(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
            return this;
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Reads encodings from a byte array, failing with {@link MalformedEntryException} on any excess or shortage. */
    static final class Reader {
        private final byte[] in;
        private int pos;
        private final int end;

        Reader(byte[] in) {
            this(in, 0, in.length);
        }

        Reader(byte[] in, int from, int to) {
            this.in = in;
            this.pos = from;
            this.end = to;
        }

        private void need(int n, String what) {
            if (end - pos < n) {
                throw new MalformedEntryException("the entry ends inside " + what + " (byte " + pos + ")");
            }
        }

        int u8(String what) {
            need(1, what);
            return in[pos++] & 0xFF;
        }

        int u16(String what) {
            need(2, what);
            int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long u32(String what) {
            need(4, what);
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (in[pos++] & 0xFF);
            }
            return v;
        }

        long u64(String what) {
            need(8, what);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (in[pos++] & 0xFF);
            }
            if (v < 0) {
                throw new MalformedEntryException(what + " is larger than 2^63 - 1");
            }
            return v;
        }

        boolean bool(String what) {
            int v = u8(what);
            if (v > 1) {
                throw new MalformedEntryException(what + " must be 0 or 1, not " + v);
            }
            return v == 1;
        }

        byte[] raw(int n, String what) {
            need(n, what);
            byte[] out = Arrays.copyOfRange(in, pos, pos + n);
            pos += n;
            return out;
        }

        byte[] opaque8(String what) {
            return raw(u8(what + " length"), what);
        }

        String string8(String what) {
            byte[] bytes = opaque8(what);
            var decoder = StandardCharsets.UTF_8.newDecoder();
            try {
                return decoder.decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedEntryException(what + " is not UTF-8");
            }
        }

        int position() {
            return pos;
        }

        void skip(int n, String what) {
            need(n, what);
            pos += n;
        }

        void end(String what) {
            if (pos != end) {
                throw new MalformedEntryException((end - pos) + " bytes after the end of " + what);
            }
        }
    }
}
