/**
 * How tlsrpt is configured: each module declares its keys as {@link org.tlsrpt.config.Setting}s and
 * builds its own immutable settings record from {@link org.tlsrpt.config.Settings}, which are read
 * once at start-up from a config file and {@code TLSRPT_*} environment variables. A value that is
 * not valid is a {@link org.tlsrpt.config.ConfigurationException} naming the key, where the value
 * came from and the expected form.
 */
package org.tlsrpt.config;
