/**
 * The settings of the parser, the store, the listeners and the pipeline, and {@link
 * org.tlsrpt.app.config.AllSettings}, every key tlsrpt knows (the feature modules declare their
 * own).
 */
package org.tlsrpt.app.config;
