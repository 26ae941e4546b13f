package io.meridian.transparency.verifier;

import java.io.PrintStream;

/** Lets tests outside the package run the verifier in-process. */
public final class VerifierAccess {

    private VerifierAccess() {
    }

    public static int run(String[] args, PrintStream out, String token) {
        return Verify.run(args, out, token);
    }
}
