package io.meridian.transparency.log;

/** Bytes that are not a well-formed log entry (or tree head) of the format this code knows. */
public final class MalformedEntryException extends IllegalArgumentException {

    public MalformedEntryException(String message) {
        super(message);
    }
}
