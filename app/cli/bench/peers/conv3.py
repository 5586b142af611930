"""Peer for the conv3 figure: the same 3-conv-layer net in PyTorch (CPU, 2 threads).

Architecture (NHWC in tfjs, NCHW here): conv3x3(1->16) ReLU, conv3x3(16->32) ReLU,
conv3x3(32->32) ReLU (all 'same'), global average pool, linear(32->2); Adam, cross-entropy.
"""
import json
import sys

import torch

from timing import median_seconds

args = json.loads(sys.argv[1])
batch, size, repeats = int(args["batch"]), int(args["size"]), int(args["repeats"])
torch.set_num_threads(int(args.get("threads", 2)))
torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(),
    torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(),
    torch.nn.Conv2d(32, 32, 3, padding=1), torch.nn.ReLU(),
    torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(32, 2),
)
opt = torch.optim.Adam(model.parameters(), 1e-3)
x = torch.randn(batch, 1, size, size)
y = torch.randint(0, 2, (batch,))


def train_step():
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()


def forward():
    with torch.no_grad():
        model(x)


print(json.dumps({
    "train_seconds": median_seconds(train_step, repeats),
    "forward_seconds": median_seconds(forward, repeats),
    "version": f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} threads",
}))
