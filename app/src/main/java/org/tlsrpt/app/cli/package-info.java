/** The {@code tlsrpt} command line: one picocli command per subcommand. */
package org.tlsrpt.app.cli;
