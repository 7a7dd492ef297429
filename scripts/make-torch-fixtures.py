"""Fixtures for the PyTorch .pt reader (src/io/torch.ts), written by Debian's python3-torch.

Run at development time only (no Python at run time or in tests):
    /usr/bin/python3 scripts/make-torch-fixtures.py test/fixtures/torch

Each file is what torch.save writes (a zip: data.pkl plus one record per storage); expected.npz
holds every tensor's values as float64 under '<file>:<key>' for the tests. malicious.pt is a
torch.save zip whose data.pkl asks for os.system (and a plain pickle with a .pt name asks for
builtins.exec): both must be refused without effect.
"""
import collections, io, os, pickle, sys, zipfile
import numpy as np
import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
expected = {}
torch.manual_seed(0)

def save(name, obj, leaves):
    torch.save(obj, os.path.join(out, name))
    for key, t in leaves.items():
        expected[f"{name}:{key}"] = t.detach().to(torch.float64).numpy()

# one activation tensor, S x N (the common case: torch.save(acts, 'acts.pt'))
acts = torch.randn(12, 5)
save("acts.pt", acts, {"": acts})

# a dict of layers, as hooks collect them, with a non-tensor entry beside them
fc1 = torch.randn(10, 6)
fc2 = torch.randn(10, 3, dtype=torch.float64)
half = torch.randn(10, 4).half()
save("layers.pt", {"fc1": fc1, "fc2": fc2, "logits": half, "step": 7, "note": "epoch 3"}, {"fc1": fc1, "fc2": fc2, "logits": half})

# nested containers, views: a transposed (non-contiguous) tensor, a slice with a storage offset
# that shares its storage with another tensor, bfloat16, int64 and bool
base = torch.arange(40, dtype=torch.float32).reshape(8, 5)
tr = torch.randn(3, 8).t()                  # 8 x 3, strides (1, 8)
sl = base[2:6]                              # storage offset 10
bf = torch.randn(8, 2).to(torch.bfloat16)
i64 = torch.arange(16, dtype=torch.int64).reshape(8, 2) - 5
bo = torch.tensor([[True, False]] * 4 + [[False, True]] * 4)
save("nested.pt", {"blocks": [base, tr], "views": {"slice": sl, "bf16": bf}, "ids": (i64, bo)},
     {"blocks/0": base, "blocks/1": tr, "views/slice": sl, "views/bf16": bf, "ids/0": i64, "ids/1": bo})

# a module's state_dict: an OrderedDict with _metadata set by BUILD, parameters included
lin = torch.nn.Linear(4, 3)
sd = lin.state_dict()
save("state_dict.pt", sd, {k: v for k, v in sd.items()})
# a Parameter on its own (torch._utils._rebuild_parameter)
p = torch.nn.Parameter(torch.randn(6, 2))
save("parameter.pt", p, {"": p})
# 3-d activations, examples x tokens x features
seq = torch.randn(5, 4, 3)
save("tokens.pt", {"hidden": seq}, {"hidden": seq})

np.savez(os.path.join(out, "expected.npz"), **expected)

# malicious: a torch.save zip whose data.pkl runs os.system on load
class Evil:
    def __reduce__(self):
        return (os.system, ("touch /tmp/infomem-pwned",))
torch.save({"x": torch.zeros(2, 2)}, os.path.join(out, "malicious.pt"))
src = zipfile.ZipFile(os.path.join(out, "malicious.pt"))
items = [(i, src.read(i.filename)) for i in src.infolist()]
src.close()
with zipfile.ZipFile(os.path.join(out, "malicious.pt"), "w", zipfile.ZIP_STORED) as z:
    for info, data in items:
        if info.filename.endswith("/data.pkl"):
            data = pickle.dumps({"x": Evil()}, protocol=2)
        z.writestr(info, data)
# a plain pickle named .pt, asking for builtins.exec
class Exec:
    def __reduce__(self):
        return (exec, ("open('/tmp/infomem-pwned', 'w').close()",))
with open(os.path.join(out, "plain-pickle.pt"), "wb") as f:
    pickle.dump(Exec(), f, protocol=2)
# the legacy (pre-1.6) format
torch.save(acts, os.path.join(out, "legacy.pt"), _use_new_zipfile_serialization=False)
print("wrote", sorted(os.listdir(out)))
