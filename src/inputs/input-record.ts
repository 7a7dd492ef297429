/** What results.json records of each input file (the loader fills it as it reads). */
export interface InputRecord {
  path: string;
  bytes: number;
  sha256: string;
  /** What the file is: activations (default), a model, or the inputs a model was run on. */
  role?: 'activations' | 'model' | 'inputs';
}
