/**
 * The settings records of the parser, the store, serve's listeners and intake, and the pipeline,
 * each built once at start-up by its {@code from(Settings)}; and {@link
 * org.tlsrpt.app.config.AllSettings}, the records serve and worker are given and every key tlsrpt
 * knows (the feature modules declare their own).
 */
package org.tlsrpt.app.config;
