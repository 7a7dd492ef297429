import { settingFlagsHelp } from './setting-flags.js';
export const MAIN_USAGE = `infomem - entropy and mutual information of neuron activations, to detect memorization

Usage:
  infomem analyze <files...> [options]    measure activation files (.npy .npz .safetensors .csv .tsv .parquet .json)
  infomem compare <results.json...>       rank the models of a sweep and correlate with accuracy
  infomem track <checkpoints...>          the measures over a series of checkpoints, and the memorization map
  infomem score --reference R --inputs I  per-example surprisal scores (out-of-distribution detection)
  infomem layers <model>                  list a model's candidate layers (.onnx, TF.js model.json, transformer folder)
  infomem extract --model M --inputs I    run a model and write its layers' activations (.npz)
  infomem analyze --model M --inputs I    extract and analyse in one go
  infomem web [--port N]                  the browser app on localhost: drop files in a page, analysed on your machine
  infomem reproduce <experiment>          reproduce the paper's experiments (circles, colored-mnist, shuffled-mnist, sentiment-adjectives, shuffled-reviews), or ood
  infomem plan <files...> --shards K --out DIR   split an analysis into shards for a cluster (then slurm, shard, status, merge)
  infomem slurm DIR [--submit]            a Slurm array job for the plan's shards, and the merge after it
  infomem shard DIR [--index i]           run one shard (the index from SLURM_ARRAY_TASK_ID by default)
  infomem status DIR                      which shards are done, missing or failed
  infomem merge DIR --out OUT             the shards merged: what analyze writes
  infomem --help | --version

Run 'infomem <command> --help' (or 'infomem help <command>') for the options.
`;

/** `infomem track --help` (the estimator choices as registered now). */
export const trackUsage = (): string => `Usage: infomem track <checkpoint files...> [options]

Follows one network through training: one analysis per checkpoint, in the order given, drawn
as mean entropy and mean MI (all layers and each layer) against x, with a table of the
per-layer values, and the memorization map: each checkpoint's change in mean entropy and MI
against the reference one (entropy down + MI up = heuristic, entropy up + MI down =
example-level). A checkpoint is a results.json of 'infomem analyze' (read as it is) or an
activation file (.npy .npz .safetensors .csv .tsv .parquet .json), analysed here with the
estimator flags below (the defaults are analyze's: KSG on all pairs, minutes per checkpoint
for large layers; --mi gcmi takes seconds).

  --x 0,5,10,...           x value of each checkpoint, strictly increasing (default 1, 2, ...)
  --x-title NAME           what x is (default: epoch with --x, else checkpoint)
  --labels a,b,...         checkpoint names (default: from the paths)
  --accuracy 0.5,0.7,...   accuracy at each checkpoint, drawn below the measures
  --baseline-model M       the map's reference checkpoint: a label or a 1-based position
                           (default: the first); each axis is up, down or indistinguishable
                           at 95% (the analyses' intervals, paired when they share draws)
  --allow-mixed            track checkpoints that differ in S, examples, layers or settings
                           anyway (refused by default); the differences are recorded

Analysis of activation files:
${settingFlagsHelp()}
  --layers a,b             analyse only these layers
  --units nats|bits        units of every output (default: nats)
  --threads T              worker threads (default: all cores)

Output:
  --out DIR                output directory (default: infomem-track); written atomically:
                           track.json, report.html, figures/. A directory that holds
                           anything is refused
  --force                  write into a non-empty DIR anyway, replacing only infomem's own
                           track files there (never other files, never an input)
  --no-report              skip report.html and figures/
  --json                   print track.json instead of the table
  --quiet                  print nothing
  -h, --help               this help
`;

/** `infomem analyze --help` (the estimator choices as registered now). */
export const analyzeUsage = (): string => `Usage: infomem analyze <files...> [options]
       infomem analyze --model <model> --inputs <inputs> [--layers a,b|auto|auto:pre] [--batch N] [--pool none|avg] [options]

Each .npy file is one layer (S examples x N neurons); each array of a .npz or tensor of a
.safetensors file is a layer named by its key; CSV/TSV/Parquet columns named 'layer/neuron' are
grouped by layer; .json is {"layers": {"name": S x N array}}. Rank-3 arrays (S x T x D) are
reduced over tokens; higher ranks are flattened per example.

From a model (instead of files; see 'infomem extract --help'):
  --model M                model.onnx, TF.js model.json, or a local transformer folder
  --inputs I               .npy / .npz (keys = model input names) or texts.txt (one per line)
  --layers a,b|auto|auto:pre
                           with --model: the model's layers to extract (default: auto: see
                           infomem extract --help)
  --batch N                examples per model run (default: 64)
  --pool none|avg          conv maps (rank >= 4): flatten or global average pool (default: avg)

Estimators:
${settingFlagsHelp()}
  --units nats|bits        units of every output (default: nats)

Selection:
  --layers a,b             analyse only these layers, in this order
  --samples S              the first S examples (random:S for S drawn at random)
  --neurons-per-layer K    the first K neurons of each layer (random:K for K at random)
  --sample-neurons K       K neurons drawn at random over all layers
  --exclude-constant       set aside constant (dead) neurons before the measures (they
                           have entropy 0 and MI 0 with everything, and weigh on the means)
  --token first|last|mean  reduction of rank-3 token arrays (default: first, the [CLS] token)
  --header auto|first|none  CSV/TSV first row: column names, or data when every cell is a
                           number (auto, the default); first = always names; none = data
  --nan refuse|drop-examples
                           NaN/Inf: stop with an error (default) or drop those examples
  --max-inflation R        refuse a deflated .npz member that inflates over R times to
                           over 64 MiB (default 100; 0: no limit): no activation file does
  --example-ids FILE       the examples' ids, one per line: recorded (SHA-256) so that
                           compare can check that analyses saw the same examples

Execution and output:
  --threads T              worker threads (default: all cores)
  --out DIR                output directory (default: named after the first input,
                           NAME-infomem, or NAME-infomem-2, -3, ... when that one holds
                           files; none with --json and no --out); written atomically:
                           entropy.npy, mi.npy, results.json, report.html, figures/.
                           A directory that holds anything is refused, checked before
                           any computation
  --force                  write into a non-empty DIR anyway, replacing only infomem's
                           own analysis files there (never other files, never an input)
  --no-report              skip report.html and figures/
  --json                   print results.json to stdout instead of the table
  --quiet                  no progress and no table
  -h, --help               this help
`;

export const COMPARE_USAGE = `Usage: infomem compare <results.json...> [options]

Ranks the models of one sweep (each analysed by 'infomem analyze') by mean entropy and mean MI,
oriented by the memorization setting, and gives Kendall's tau-b against validation accuracy.
Every mean comes with its 95% interval (from the analyses' --resamples), every pair of models
is called distinguishable or not at 95% (on paired replicates when the analyses share their
draws: same examples, S and seed), and the ranking's stability under resampling is given.
Analyses that differ in S, example set, layers, estimator or its settings are refused.

  --labels a,b,...         model names (default: each results.json's folder name)
  --accuracy 0.9,0.8,...   validation accuracy of each model, in the same order
  --setting heuristic|example-level|auto
                           heuristic: better = higher entropy, lower MI (the default);
                           example-level: better = lower entropy, higher MI; auto: the
                           pattern most models follow on the memorization map (heuristic
                           when none does)
  --baseline-model M       the memorization map's reference model: a label or a 1-based
                           position (default: the first). The map places every model by its
                           change in mean entropy and mean MI against it: entropy down + MI
                           up = heuristic, entropy up + MI down = example-level (per layer too);
                           each axis is up, down or indistinguishable at 95%
  --allow-mixed            compare analyses that differ anyway; the differences are written
                           into comparison.json and shown at the top of the report
  --group a,a,b,b          runs that are seeds of one model, one name per results file: each
                           group is compared as one model (means over its seeds; the seeds'
                           spread enters the intervals)
  --out DIR                output directory (default: infomem-compare); written atomically:
                           comparison.json, report.html, figures/. A directory that holds
                           anything is refused
  --force                  write into a non-empty DIR anyway, replacing only infomem's
                           own comparison files there (never other files, never an input)
  --no-report              skip report.html and figures/
  --json                   print comparison.json instead of the table
  --quiet                  print nothing
  -h, --help               this help
`;

export const LAYERS_USAGE = `Usage: infomem layers <model> [--json]

Lists a model's candidate layers: for ONNX (a .onnx file or a transformer folder's
onnx/model.onnx) every node output with its op type, element type and shape; for a TF.js
LayersModel (model.json) every layer. Layers that '--layers auto' picks are marked '*'.

  --json                   print the listing as JSON
  -h, --help               this help
`;

export const EXTRACT_USAGE = `Usage: infomem extract --model <model> --inputs <inputs> [options]

Runs a model over its inputs in batches and writes the activations of the chosen layers.

  --model M                model.onnx (onnxruntime, CPU), TF.js model.json (+ weight files), or a
                           local transformer folder (config.json, tokenizer.json, onnx/model.onnx);
                           nothing is ever downloaded
  --inputs I               .npy (the model's single input), .npz (arrays named after the model's
                           inputs), or a text file with one example per line (transformer folders)
  --layers a,b,...|auto|auto:pre
                           layer names as 'infomem layers' lists them (default: auto = the hidden
                           layers: an MLP's hidden linear layers after their activation (the next
                           linear op's input), every transformer block's output, every conv
                           block's pooled output); auto:pre takes an MLP's hidden linear layers
                           before their activation (pre-ReLU, as the paper's MNIST analysis)
  --batch N                examples per model run (default: 64)
  --token first|last|mean  reduction of B x T x D sequence outputs (default: first, the [CLS]
                           token; last/mean skip padding)
  --pool none|avg          rank >= 4 conv maps: flatten, or average over the spatial axes
                           (default: avg)
  --threads T              onnxruntime threads (default: its own choice)
  --out FILE               output .npz (default: acts.npz); keys are the layer names made
                           file-safe, mapped back in FILE.json; both written atomically.
                           An existing FILE is refused, checked before extracting
  --force                  replace an existing FILE and FILE.json (never an input)
  --compress               deflate the .npz members
  --json                   print the FILE.json mapping to stdout
  --quiet                  no progress and no table
  -h, --help               this help
`;

export const REPRODUCE_USAGE = `Usage: infomem reproduce circles|colored-mnist|shuffled-mnist|sentiment-adjectives|shuffled-reviews|ood [options]

Reproduces the paper's experiments end to end on this machine: builds the data (seeded),
trains every model of the sweep with TF.js (wasm backend, one worker thread per core), extracts
the activations on the clean validation inputs, analyses each model with the 'paper' and the
'default' presets, compares each sweep and writes summary.json + summary.md beside the paper's
numbers.
  circles          division sweep (heuristic) and label-shuffle sweep (example-level);
                   MLP 2 x 16, post-ReLU activations on 2,000 fresh points, 20 bins
  colored-mnist    alpha sweep (heuristic); MLP 3 x 256, pre-ReLU activations, 10,000 images
  shuffled-mnist   beta sweep (example-level); same network and activations
  sentiment-adjectives
                   alpha sweep (heuristic): a BERT-style encoder (data/encoders/small, d = 64,
                   2 blocks) fine-tuned on UCI review sentences holding only positive or only
                   negative adjectives, a share alpha of the conflicting ones labelled by the
                   adjectives; [CLS] vector of each block on unseen sentences, via ONNX
  shuffled-reviews beta sweep (example-level): the encoder fine-tuned on all 3,000 sentences with
                   a share beta of training labels redrawn
  ood              out-of-distribution detection: an MLP trained on digits 0-4, every
                   'infomem score' score and the logit baselines against held-out digits
                   5-9 (near) and rotated, inverted, permuted and noise images (far); writes
                   ood.md and ood.json (takes --quick, --epochs, --seed, --out, --quiet)

  --quick          a small run in minutes: MNIST 3 x 64 MLP, 5,000 / 1,000 images, 20 epochs;
                   circles at most 300 epochs; text: 600 of the sentences, 3 epochs
  --epochs N       MNIST: the epoch budget (default 50: about 20 minutes of a sweep's time
                   on 2 cores; the 10 KSG analyses, 768 neurons x 10,000 images, take about
                   60 more, 30 with one preset; 500 is the paper's); circles: the most epochs
                   (default 10000); text: the most epochs (default 40; training stops at the
                   first epoch whose training loss is <= 0.075, the paper's rule)
  --regime paper|released
                   MNIST: how the nets are trained. paper (default): no L2 term, the last
                   epoch's weights: what reproduces the paper's accuracies and claims;
                   released: as PAPER.md and the released code read: L2 0.002 on every batch,
                   the best-validation epoch's weights (docs/reproduction-results.md: why)
  --l2 X           MNIST: L2 weight on the sum of squared parameters, added to every batch's
                   loss (default: the regime's, 0 or 0.002)
  --keep best|last MNIST: keep the weights of the best-validation epoch or of the last epoch
                   (default: the regime's)
  --track-every E  measure the training dynamics every E epochs (and at epoch 0 and the last):
                   mean binned entropy per layer, mean MI by GCMI (all pairs) and binned MI
                   (20,000 sampled pairs), training and validation accuracy, on the
                   measurement inputs (text: every block's [CLS] vector, TF.js forward);
                   dynamics.json per model, a figure per sweep and seed, tables in the
                   summary (default: 5 for MNIST, 3 to 10 s per point; 50 for circles; 2 for
                   the text experiments; 0: off)
  --from pretrained|scratch|both
                   text experiments: fine-tune the committed pretrained encoder, a fresh one,
                   or both, one sweep each (default: both)
  --encoder NAME|DIR
                   text experiments: the pretrained encoder, a name under data/encoders/ or
                   a folder written by scripts/pretrain-encoder.ts (default: small, committed)
  --conflict-share X
                   sentiment-adjectives: subsample the agreeing sentences so that conflicting
                   ones make this share of the pool (the paper's ~0.33; default: as the data are)
  --seed N         seed of every random choice (default: 0)
  --seeds K        repeat with seeds N .. N+K-1; the summary gives means and spreads (default: 1)
  --out DIR        output directory (default: infomem-reproduce-<experiment>[-quick]); an
                   interrupted run resumes from what is there (same settings only); a
                   non-empty directory that is not a reproduction run is refused
  --workers W      parallel training workers (default: all cores)
  --threads T      analysis threads (default: all cores)
  --presets LIST   analyse with these presets: paper,default (the default), paper or default;
                   one preset halves the analysis time
  --no-report      skip report.html and figures/ of the analyses and comparisons
  --quiet          no progress on stderr and no table on stdout
  -h, --help       this help

DIR: run.json; <sweep>/seed-<s>/<parameter>-<value>/{model/ (TF.js model.json + weights.bin; text:
a Hugging Face folder with onnx/model.onnx), training.json, dynamics.json, activations.npz,
analysis-paper/, analysis-default/}; <sweep>/seed-<s>/compare-<preset>/;
<sweep>/seed-<s>/figures/dynamics.svg|png; summary.json; summary.md. <sweep> is the
parameter (alpha-pretrained, alpha-scratch, ... for text). Every file is written atomically.
`;

export const SCORE_USAGE = `Usage: infomem score --reference <files> --inputs <files> [options]
       infomem score --model <model> --reference-inputs <inputs> --inputs <inputs> [--layers a,b|auto|auto:pre] [--batch N] [options]

Scores every input example against in-distribution reference activations (same layers, any
supported format; several files: comma-separated). Per example, higher = more unusual:
  surprisal        mean over neurons of -ln p(bin of its activation) in the neuron's reference
                   histogram (B bins + two tail bins, additive smoothing): its own term of
                   the mean neuron entropy
  copula           the joint surprisal beyond the marginals under a Gaussian copula of the
                   reference, per neuron
  joint            surprisal + copula (-ln p(x) / N under the copula model)
  coactivation     mean over the reference's highest-MI neuron pairs of ln p(x)p(y)/p(x,y)
  mahalanobis      squared Mahalanobis distance to the reference (ridge-regularised)
  knn              distance to the k-th nearest reference example (L2-normalised activations)
  surprisal:<layer>  the surprisal over one layer's neurons

  --reference R            in-distribution activations (.npy .npz .safetensors .csv .tsv .parquet .json)
  --inputs I               activations to score (with --model: model inputs, as for extract)
  --model M                run a model (see 'infomem extract --help') over --reference-inputs,
                           --inputs and --ood (model inputs), then score its layers
  --reference-inputs RI    with --model: the in-distribution model inputs
  --reference-from DIR     instead of --reference: the scoring model an earlier 'infomem score'
                           saved in DIR (reference.json + reference.npz): no reference
                           activations needed
  --layers a,b|auto|auto:pre
                           with --model: the layers to score (default: auto: see infomem
                           extract --help)
  --batch N                with --model: examples per model run (default: 64)
  --ood O                  out-of-distribution activations: scored after the inputs, labelled
                           out (the inputs in); adds AUROC, AUPR and FPR at 95% TPR per score
  --labels-ood M           instead: a .npy 0/1 mask over the inputs (1 = out of distribution)
  --bins B                 bins of the reference histograms (default: 100)
  --alpha A                additive smoothing per bin (default: 0.5)
  --pairs P                high-MI reference pairs for the co-activation score (default: 256)
  --joint-bins J           bins per neuron of the pairs' joint tables (default: 16)
  --no-baselines           skip the Mahalanobis and k-NN baselines
  --knn K                  k of the k-NN baseline (default: 10; 2,000 reference examples kept)
  --logits NAME            a layer of the model's logits (in the reference and the inputs):
                           left out of the activation scores; adds msp (-max softmax) and
                           energy (-logsumexp)
  --seed N                 seed of the k-NN reference sample (default: 0)
  --out DIR                output directory (default: infomem-scores): scores.npy (examples x
                           scores), scores.json (settings, summaries, metrics), reference.json
                           (the reference statistics), report.html + figures/. A directory that holds anything is
                           refused, checked before any computation
  --force                  write into a non-empty DIR anyway, replacing only infomem's own files
  --no-report              skip report.html and figures/ (score distributions, metrics)
  --json                   print the columns and metrics as JSON
  --quiet                  print nothing
  -h, --help               this help
`;

export const WEB_USAGE = `Usage: infomem web [--port N]

Serves the browser app on http://localhost:N/ (default 8765; 0: any free port) and prints its
URL. In the page, drop or pick activation files (.npy .npz .safetensors .csv .tsv .parquet
.json): they are read and analysed by the browser itself, in Web Workers on every core, with the
same library code as 'infomem analyze'; nothing is uploaded, and the page makes no network
request after it loads. Choose the preset, estimator, bins, binning scope, k and layers; see the
summary and the report's figures; download results.json, entropy.npy, mi.npy and the figures;
compare two or more analyses. The server sends only the app's own files. Ctrl-C stops it.
The same app is a folder of static files (dist/web after npm run build:web) that any web server
can host; serve it with the headers Cross-Origin-Opener-Policy: same-origin and
Cross-Origin-Embedder-Policy: require-corp for all cores (one core without them).

  --port N                 port on 127.0.0.1 (default: 8765)
  -h, --help               this help
`;
