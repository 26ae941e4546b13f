package io.meridian.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON value the service refuses while reading a body, with the message for the client in its
 * own terms ({@link ProblemMapper} adds the field's path).
 */
public class JsonInputProblem extends MismatchedInputException {

    private final String clientMessage;

    public JsonInputProblem(JsonParser parser, String clientMessage, Class<?> target) {
        super(parser, clientMessage, target);
        this.clientMessage = clientMessage;
    }

    public String clientMessage() {
        return clientMessage;
    }
}
