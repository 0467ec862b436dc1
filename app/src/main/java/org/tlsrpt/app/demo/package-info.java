/** The demo data of {@code tlsrpt serve --demo}, made from the bundled real reports. */
package org.tlsrpt.app.demo;
