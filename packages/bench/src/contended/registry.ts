import { blpopSignalReference } from './blpop-signal-reference.js';
import type { ContendedSubject } from './contended-subject.js';
import { floorGrant } from './floor-grant.js';
import { ioredfourContended } from './ioredfour-subject.js';
import {
  fairSemaphoreContended,
  keyedContended,
  optimisticContended,
  redlockContended,
  semaphoreContended,
} from './our-subjects.js';
import { redfourContended } from './redfour-subject.js';
import { redisSemaphoreContended } from './redis-semaphore-subject.js';
import { redlockAsyncContended, redlockV4Contended } from './redlock-peer-subjects.js';
import { RETRY_SUBJECTS } from './retry-subjects.js';
import { warlockContended } from './warlock-subject.js';

/**
 * Every subject of the contended scenarios (hand-off, K contenders), floor first. Adding a strategy or a peer
 * is one entry here; worker processes look subjects up by name.
 */
export const CONTENDED_SUBJECTS: readonly ContendedSubject[] = [
  floorGrant,
  blpopSignalReference,
  optimisticContended,
  keyedContended,
  semaphoreContended,
  fairSemaphoreContended,
  redlockContended,
  redfourContended,
  ioredfourContended,
  warlockContended,
  redlockAsyncContended,
  redlockV4Contended,
  redisSemaphoreContended,
];

/** The subject called `name` (contended or retry-spread); throws for an unknown one. */
export function contendedSubject(name: string): ContendedSubject {
  const subject = [...CONTENDED_SUBJECTS, ...RETRY_SUBJECTS].find((candidate) => candidate.name === name);
  if (!subject) throw new Error(`unknown contended subject: ${name}`);
  return subject;
}
