"""Peer for the unet figure: the same U-Net in PyTorch (CPU, 2 threads).

Architecture (NHWC in tfjs, NCHW here), as lib/segment/resnet_encoder.ts + unet_decoder.ts:
stem conv7x7/2 (no bias) -> norm -> ReLU (the 1/2 skip), maxpool 3x3/2; four stages of
basic blocks [2,2,2,2] (resnet18) or [3,4,6,3] (resnet34) with widths w0..w3 (stage i>0
starts with stride 2 and a 1x1/2 conv + norm shortcut); five decoder blocks (nearest 2x
upsampling, or a 2x2/2 transposed conv with bias, then concat the skip at that
resolution, then 2 x [conv3x3 (no bias) -> norm -> ReLU]); head conv1x1 (bias) to 1
channel + sigmoid or 2 channels + softmax. GroupNorm groups: the largest g <= 8 dividing
C with C/g >= 2, else 1 (lib/segment/_unet_layers.ts normGroups). Layers are keyed by
the tfjs layer names (tests/segment/make_unet_goldens.py uses that to export weights).

`tf_padding=True` pads as TensorFlow's "same" (extra row/column at the bottom/right of
stride-2 layers), for exact parity with tfjs; the benchmark uses PyTorch's symmetric
padding instead (same shapes and FLOPs, PyTorch's own fast path).

Run as the bench peer: python3 unet.py '{"size": 256, "channels": 3, "train_batches": [4, 8],
...}'. Inputs are [B, channels, size, size] (3: the RGB tiles of the unet figure). A train
step is AdamW (lr 1e-3, weight decay 0.01) on BCE + soft Dice, as app/cli/bench/unet.ts
does.
"""
import json
import sys

import torch
import torch.nn.functional as F
from torch import nn

BLOCKS = {"resnet18": [2, 2, 2, 2], "resnet34": [3, 4, 6, 3]}
EPS = 1e-7


def norm_groups(channels):
    for g in range(8, 1, -1):
        if channels % g == 0 and channels // g >= 2:
            return g
    return 1


def _same_pad(size, kernel, stride):
    """TensorFlow "same" padding (before, after) along one axis."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Conv2d):
    """Conv2d with TF "same" padding (tf_padding) or PyTorch's symmetric k // 2."""

    def __init__(self, cin, cout, kernel, stride=1, bias=False, tf_padding=False):
        super().__init__(cin, cout, kernel, stride, 0 if tf_padding else kernel // 2, bias=bias)
        self.tf_padding = tf_padding

    def forward(self, x):
        if self.tf_padding:
            k, s = self.kernel_size[0], self.stride[0]
            top, bottom = _same_pad(x.shape[2], k, s)
            left, right = _same_pad(x.shape[3], k, s)
            x = F.pad(x, (left, right, top, bottom))
        return super().forward(x)


class Unet(nn.Module):
    def __init__(self, in_channels=1, encoder="resnet18", widths=(16, 32, 64, 128),
                 decoder="upsample", decoder_widths=None, output="sigmoid", norm="group",
                 tf_padding=False):
        super().__init__()
        w0 = widths[0]
        if decoder_widths is None:
            decoder_widths = [widths[2], widths[1], w0, max(1, round(w0 / 2)),
                              max(1, round(w0 / 4))]
        self.decoder, self.output, self.tf_padding = decoder, output, tf_padding
        layers = nn.ModuleDict()

        def conv(name, cin, cout, k, s=1, bias=False):
            layers[name] = Conv(cin, cout, k, s, bias, tf_padding)

        def norm_layer(name, c):
            layers[name] = (nn.GroupNorm(norm_groups(c), c, eps=1e-5) if norm == "group"
                            else nn.BatchNorm2d(c, eps=1e-5, momentum=0.1))

        conv("encoder_stem_conv", in_channels, w0, 7, 2)
        norm_layer("encoder_stem_norm", w0)
        self.blocks = []  # (prefix, stage, has a projection shortcut)
        cin = w0
        for s, count in enumerate(BLOCKS[encoder]):
            for b in range(count):
                stride = 2 if s > 0 and b == 0 else 1
                p = f"encoder_stage{s + 1}_block{b + 1}"
                conv(p + "_conv1", cin, widths[s], 3, stride)
                norm_layer(p + "_norm1", widths[s])
                conv(p + "_conv2", widths[s], widths[s], 3)
                norm_layer(p + "_norm2", widths[s])
                projection = stride != 1 or cin != widths[s]
                if projection:
                    conv(p + "_shortcut_conv", cin, widths[s], 1, stride)
                    norm_layer(p + "_shortcut_norm", widths[s])
                self.blocks.append((p, s, projection, stride))
                cin = widths[s]
        skip_channels = [widths[2], widths[1], w0, w0, 0]  # 1/16, 1/8, 1/4, 1/2, none
        for k, f in enumerate(decoder_widths):
            p = f"decoder_block{k + 1}"
            up = cin
            if decoder == "transposed":
                layers[p + "_up"] = nn.ConvTranspose2d(cin, f, 2, stride=2)
                up = f
            conv(p + "_conv1", up + skip_channels[k], f, 3)
            norm_layer(p + "_norm1", f)
            conv(p + "_conv2", f, f, 3)
            norm_layer(p + "_norm2", f)
            cin = f
        self.decoder_blocks = len(decoder_widths)
        layers["mask"] = nn.Conv2d(cin, 1 if output == "sigmoid" else 2, 1)
        self.layers = layers

    def forward(self, x):
        L = self.layers
        x = F.relu(L["encoder_stem_norm"](L["encoder_stem_conv"](x)))
        skips = [x]
        if self.tf_padding:
            top, bottom = _same_pad(x.shape[2], 3, 2)
            left, right = _same_pad(x.shape[3], 3, 2)
            x = F.max_pool2d(F.pad(x, (left, right, top, bottom), value=float("-inf")), 3, 2)
        else:
            x = F.max_pool2d(x, 3, 2, padding=1)
        for i, (p, s, projection, _) in enumerate(self.blocks):
            y = F.relu(L[p + "_norm1"](L[p + "_conv1"](x)))
            y = L[p + "_norm2"](L[p + "_conv2"](y))
            shortcut = L[p + "_shortcut_norm"](L[p + "_shortcut_conv"](x)) if projection else x
            x = F.relu(y + shortcut)
            last_of_stage = i + 1 == len(self.blocks) or self.blocks[i + 1][1] != s
            if last_of_stage and s < 3:
                skips.append(x)
        skips = skips[::-1]  # 1/16, 1/8, 1/4, 1/2
        for k in range(self.decoder_blocks):
            p = f"decoder_block{k + 1}"
            if self.decoder == "transposed":
                x = L[p + "_up"](x)
            else:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            if k < len(skips):
                x = torch.cat([x, skips[k]], dim=1)
            x = F.relu(L[p + "_norm1"](L[p + "_conv1"](x)))
            x = F.relu(L[p + "_norm2"](L[p + "_conv2"](x)))
        x = L["mask"](x)
        return torch.sigmoid(x) if self.output == "sigmoid" else torch.softmax(x, dim=1)


def bce_dice(pred, truth):
    """BCE (clipped at 1e-7) + soft Dice over the batch (smooth 1), as lib/segment/losses.ts."""
    p = pred if pred.shape[1] == 1 else pred[:, 1:2]
    if pred.shape[1] == 1:
        q = p.clamp(EPS, 1 - EPS)
        bce = -(truth * q.log() + (1 - truth) * (1 - q).log()).mean()
    else:
        q = (pred / pred.sum(1, keepdim=True)).clamp(EPS, 1 - EPS)
        bce = -(truth * q[:, 1:2].log() + (1 - truth) * q[:, 0:1].log()).mean()
    overlap = (p * truth).sum()
    total = p.sum() + truth.sum()
    return bce + 1 - (2 * overlap + 1) / (total + 1)


def main():
    from timing import median_seconds

    args = json.loads(sys.argv[1])
    size, channels, repeats = int(args["size"]), int(args["channels"]), int(args["repeats"])
    torch.set_num_threads(int(args.get("threads", 2)))
    torch.manual_seed(0)
    model = Unet(channels, args["encoder"], args["widths"], args["decoder"], output="sigmoid",
                 norm="group")
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    result = {}
    for batch in args["train_batches"]:
        x = torch.randn(batch, channels, size, size)
        y = (torch.rand(batch, 1, size, size) < 0.3).float()

        def train_step():
            model.train()
            opt.zero_grad()
            loss = bce_dice(model(x), y)
            loss.backward()
            opt.step()
            loss.item()

        result[f"train_seconds_b{batch}"] = median_seconds(train_step, repeats)
    tiles = torch.randn(int(args["forward_batch"]), channels, size, size)

    def forward():
        model.eval()
        with torch.no_grad():
            model(tiles)

    result["forward_seconds"] = median_seconds(forward, repeats)
    result["version"] = f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} threads"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
