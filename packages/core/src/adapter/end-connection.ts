import { settlesWithin } from '../timers.js';

/** How long ending a connection we opened may wait for its pending replies before dropping it, in ms. */
export const GRACEFUL_CLOSE_TIMEOUT = 1000;

/** A connection the adapter opened (a subscriber, or the replication check's second connection). */
export interface OwnConnection {
  /** Connected and taking commands now. */
  isReady(): boolean;
  /** QUIT (or the client's close): resolves once pending replies arrived and the socket closed. */
  quit(): Promise<unknown>;
  /** Drops the socket and stops reconnecting; pending commands reject. */
  drop(): void;
}

/**
 * Ends a connection the adapter opened, never rejecting and never waiting long. A ready connection quits
 * gracefully, for at most {@link GRACEFUL_CLOSE_TIMEOUT}; one that is not ready (its server is down and the
 * client keeps reconnecting) is dropped at once, since its QUIT would wait for the server to come back.
 */
export async function endConnection(connection: OwnConnection): Promise<void> {
  if (connection.isReady() && (await settlesWithin(connection.quit(), GRACEFUL_CLOSE_TIMEOUT))) return;
  try {
    connection.drop();
  } catch {
    // Closed already.
  }
}
