"""Vector index source models (Astra's EmbeddingSourceModel): names and the metric each implies."""

from __future__ import annotations

from typing import Any

from localdataapi.errors import TITLES, ApiError

# apiName -> the similarity used when createVectorIndex gives a sourceModel but no metric.
SOURCE_MODELS = {
    "ada002": "dot_product",
    "bert": "dot_product",
    "cohere-v3": "dot_product",
    "gecko": "dot_product",
    "nv-qa-4": "dot_product",
    "openai-v3-large": "dot_product",
    "openai-v3-small": "dot_product",
    "other": "cosine",
}
DEFAULT_MODEL = "other"

TITLES[("SCHEMA", "UNKNOWN_VECTOR_SOURCE_MODEL")] = "Vector source model is unknown"


def source_model(raw: Any) -> tuple[str, str]:
    """(model name, its default metric); a missing or blank name is Astra's default, "other"."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return DEFAULT_MODEL, SOURCE_MODELS[DEFAULT_MODEL]
    name = str(raw).lower()
    if name not in SOURCE_MODELS:
        raise ApiError(
            "SCHEMA",
            "UNKNOWN_VECTOR_SOURCE_MODEL",
            "The command attempted to create an vector index using a vector source model that is not known by the "
            "API.\n\n"
            "Including the optional name of the model that created the vectors when creating a vector index can "
            "provide significant performance improvements. \n\n"
            f"The known source models are: {', '.join(SOURCE_MODELS)}.\n"
            f"The command attempted to use the source model: {raw}.\n\n"
            "Resend the command using a known source model.",
        )
    return name, SOURCE_MODELS[name]
