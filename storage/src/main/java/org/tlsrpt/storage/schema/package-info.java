/** The schema and its numbered migrations, local or on a cluster. */
package org.tlsrpt.storage.schema;
