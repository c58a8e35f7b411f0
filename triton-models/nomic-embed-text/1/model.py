"""Triton Python backend model: nomic-embed-text v1.5 through sentence-transformers.

Reads the weights from `<model dir>/1/weights` (downloaded as described in triton-models/README.md), takes a
BYTES tensor TEXT of shape [batch, 1] and answers an FP32 tensor EMBEDDING of shape [batch, 768], L2-normalized.
The AI service adds the nomic task prefixes itself, so the text is encoded as received.
"""

import os

import numpy as np
import triton_python_backend_utils as pb_utils
from sentence_transformers import SentenceTransformer


class TritonPythonModel:
    def initialize(self, args):
        weights = os.path.join(args["model_repository"], args["model_version"], "weights")
        if not os.path.isdir(weights):
            raise pb_utils.TritonModelException(
                f"no weights in {weights}: see triton-models/README.md to download them"
            )
        gpu = args.get("model_instance_kind") == "GPU"
        device = f"cuda:{args.get('model_instance_device_id', '0')}" if gpu else "cpu"
        # nomic-bert ships its own model code on the Hugging Face hub, hence trust_remote_code.
        self.model = SentenceTransformer(weights, device=device, trust_remote_code=True)

    def execute(self, requests):
        responses = []
        for request in requests:
            raw = pb_utils.get_input_tensor_by_name(request, "TEXT").as_numpy().reshape(-1)
            texts = [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in raw]
            vectors = self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
            out = pb_utils.Tensor("EMBEDDING", vectors.astype(np.float32))
            responses.append(pb_utils.InferenceResponse(output_tensors=[out]))
        return responses
