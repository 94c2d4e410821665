package org.rtmfpd.cli;

/** Entry point of the rtmfpd command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("rtmfpd");
    }
}
