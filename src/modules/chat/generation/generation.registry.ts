import { Injectable } from '@nestjs/common';

/** One generation running in this process. */
export interface RunningGeneration {
  messageId: string;
  alternativeId: string;
  controller: AbortController;
  /** Set by POST /messages/:id/cancel before it aborts, so the run ends as `cancelled`. */
  cancelRequested: boolean;
  /** Resolves once the run has written its final transaction. */
  done: Promise<void>;
}

const MAX_REMEMBERED = 10_000;

/**
 * Generations running in this process, by message id, so that cancel can abort the upstream request; and, per
 * queued regeneration, the alternative that was active before it (to revert to when it fails empty).
 */
@Injectable()
export class GenerationRegistry {
  private readonly running = new Map<string, RunningGeneration>();
  private readonly previousActive = new Map<string, string>();

  add(run: RunningGeneration): void {
    this.running.set(run.messageId, run);
  }

  get(messageId: string): RunningGeneration | undefined {
    return this.running.get(messageId);
  }

  remove(messageId: string): void {
    this.running.delete(messageId);
  }

  /** Remembers what was active before a regeneration queued `alternativeId`. */
  rememberPrevious(alternativeId: string, previousAlternativeId: string): void {
    if (this.previousActive.size >= MAX_REMEMBERED) {
      const oldest = this.previousActive.keys().next().value;
      if (oldest !== undefined) this.previousActive.delete(oldest);
    }
    this.previousActive.set(alternativeId, previousAlternativeId);
  }

  takePrevious(alternativeId: string): string | undefined {
    const id = this.previousActive.get(alternativeId);
    this.previousActive.delete(alternativeId);
    return id;
  }

  /** Aborts every run (shutdown); each still writes its final state. */
  abortAll(): void {
    for (const run of this.running.values()) run.controller.abort();
  }
}
