#!/usr/bin/env python3
"""Refreshes models/: trimmed copies of the AWS API models (botocore format) Stratus emulates.

Sources: botocore's data directory (Apache-2.0). The current models come from the newest botocore
on this machine (pyenv's 1.43 here); SQS's query-protocol model, which current botocore no longer
ships (SQS moved to JSON in 2023, old clients still speak query), comes from Debian's
python3-botocore 1.29. Documentation and examples are dropped; everything the protocol layer reads
(shapes, http bindings, traits, constraints, error shapes) is kept. Run it by hand; the build only
reads models/, so a fresh machine needs no botocore at all.

usage: scripts/refresh_models.py [--botocore DIR] [--legacy-botocore DIR]
"""
import argparse, glob, gzip, json, os, sys

SERVICES = [
    "sts", "iam", "dynamodb", "dynamodbstreams", "s3", "sqs", "sns", "lambda", "apigateway",
    "apigatewayv2", "apigatewaymanagementapi", "events", "scheduler", "stepfunctions",
    "cognito-idp", "ssm", "secretsmanager", "kms", "logs", "cloudformation",
]
# (service, output name): query-protocol models from the legacy botocore
LEGACY = [("sqs", "sqs-query")]
DROP = {"documentation", "documentationUrl", "deprecatedMessage", "examples"}


def load(data_dir, service):
    versions = sorted(glob.glob(os.path.join(data_dir, service, "*", "")))
    if not versions:
        sys.exit(f"no model for {service} under {data_dir}")
    base = os.path.join(versions[-1], "service-2.json")
    if os.path.exists(base):
        return json.load(open(base))
    return json.loads(gzip.open(base + ".gz").read())


def trim(o):
    if isinstance(o, dict):
        return {k: trim(v) for k, v in o.items() if k not in DROP}
    if isinstance(o, list):
        return [trim(x) for x in o]
    return o


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "models")
    ap = argparse.ArgumentParser()
    ap.add_argument("--botocore", default=None)
    ap.add_argument("--legacy-botocore", default="/usr/lib/python3/dist-packages/botocore/data")
    a = ap.parse_args()
    if a.botocore is None:
        import botocore
        a.botocore = os.path.join(os.path.dirname(botocore.__file__), "data")
    for s in SERVICES:
        m = trim(load(a.botocore, s))
        with open(os.path.join(out, s + ".json"), "w") as f:
            json.dump(m, f, separators=(",", ":"), sort_keys=False)
    for s, name in LEGACY:
        m = trim(load(a.legacy_botocore, s))
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(m, f, separators=(",", ":"), sort_keys=False)
    print("models refreshed in", os.path.normpath(out))


if __name__ == "__main__":
    main()
