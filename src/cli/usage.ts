export const MAIN_USAGE = `infomem - entropy and mutual information of neuron activations, to detect memorization

Usage:
  infomem analyze <files...> [options]    measure activation files (.npy .npz .safetensors .csv .tsv .parquet .json)
  infomem compare <results.json...>       rank the models of a sweep and correlate with accuracy
  infomem --help | --version

Run 'infomem analyze --help' or 'infomem compare --help' for the options.
`;

export const ANALYZE_USAGE = `Usage: infomem analyze <files...> [options]

Each .npy file is one layer (S examples x N neurons); each array of a .npz or tensor of a
.safetensors file is a layer named by its key; CSV/TSV/Parquet columns named 'layer/neuron' are
grouped by layer; .json is {"layers": {"name": S x N array}}. Rank-3 arrays (S x T x D) are
reduced over tokens; higher ranks are flattened per example.

Estimators:
  --preset paper|default   paper = the reference bit for bit (100 global bins, KSG k=3 on raw
                           values); default = the same plus z-scoring and 1e-10 jitter before KSG
                           (default: default)
  --mi ksg|binned|none     pairwise MI estimator (default: ksg)
  --k K                    neighbours for KSG / Kozachenko-Leonenko (default: 3)
  --bins B                 bins of the binned entropy and binned MI (default: 100)
  --binning global|layer|neuron|quantile   bin-edge scope (default: global, the paper's)
  --entropy binned|kl      per-neuron entropy estimator (default: binned)
  --miller-madow           add the Miller-Madow bias correction to binned entropy and MI
  --scale raw|zscore       transform of each neuron before KSG (preset decides)
  --jitter X               noise before KSG, in units of each neuron's std (preset decides)
  --baseline N|all|none    pairs for the permutation chance baseline (default: 2048)
  --units nats|bits        units of every output (default: nats)

Selection:
  --layers a,b             analyse only these layers, in this order
  --samples S              the first S examples (random:S for S drawn at random)
  --neurons-per-layer K    the first K neurons of each layer (random:K for K at random)
  --sample-neurons K       K neurons drawn at random over all layers
  --token first|last|mean  reduction of rank-3 token arrays (default: first, the [CLS] token)
  --nan refuse|drop-examples
                           NaN/Inf: stop with an error (default) or drop those examples
  --seed N                 seed of every random choice (default: 0)

Execution and output:
  --threads T              worker threads (default: all cores)
  --out DIR                output directory (default: infomem-out); written atomically:
                           entropy.npy, mi.npy, results.json, report.html, figures/
  --no-report              skip report.html and figures/
  --json                   print results.json to stdout instead of the table
  --quiet                  no progress and no table
  -h, --help               this help
`;

export const COMPARE_USAGE = `Usage: infomem compare <results.json...> [options]

Ranks the models of one sweep (each analysed by 'infomem analyze') by mean entropy and mean MI,
oriented by the memorization setting, and gives Kendall's tau-b against validation accuracy.

  --labels a,b,...         model names (default: each results.json's folder name)
  --accuracy 0.9,0.8,...   validation accuracy of each model, in the same order
  --setting heuristic|example-level
                           heuristic: better = higher entropy, lower MI (the default);
                           example-level: better = lower entropy, higher MI
  --out DIR                output directory (default: infomem-compare); written atomically:
                           comparison.json, report.html, figures/
  --no-report              skip report.html and figures/
  --json                   print comparison.json instead of the table
  --quiet                  print nothing
  -h, --help               this help
`;
