/**
 * Input the review cannot compare: a folder that is not a synth root, a file that does not parse, or two roots that
 * do not describe the same project. The CLI turns it into exit code 2 with this message.
 */
export class ReviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewInputError';
  }
}
