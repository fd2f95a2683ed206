import { QuarryError } from '../../core/index.js';

/** Why a handler's signal was aborted; also what a heartbeat throws. */
export class JobLeaseLostError extends QuarryError {
  constructor(
    readonly jobId: string,
    readonly reason: 'cancelled' | 'lost' | 'worker-stopping',
  ) {
    super('ConflictException', LOST_MESSAGE[reason](jobId), { retryable: false });
  }
}

const LOST_MESSAGE: Record<JobLeaseLostError['reason'], (id: string) => string> = {
  cancelled: (id) => `Job ${id} was cancelled`,
  lost: (id) => `Job ${id} lost its lease (it lapsed and another worker took the job)`,
  'worker-stopping': (id) => `Job ${id} was interrupted because its worker is stopping; it goes back to the queue`,
};
