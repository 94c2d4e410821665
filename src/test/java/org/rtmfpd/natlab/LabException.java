package org.rtmfpd.natlab;

/** The lab could not be built or a lab process did not answer as expected. */
final class LabException extends RuntimeException {
    LabException(String message) {
        super(message);
    }

    LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
