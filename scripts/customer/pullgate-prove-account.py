#!/usr/bin/env python3
# Proves to Pullgate that you control an AWS account, the way Vault's AWS auth does. It prints an
# STS GetCallerIdentity request signed with your AWS credentials (the usual chain: environment,
# AWS_PROFILE, instance or task role), with Pullgate's one-time nonce in a signed header. Nothing
# is sent and no secret is printed: paste the output into Pullgate, which sends it to AWS STS once
# to learn which account signed it. Needs botocore (pip install botocore; boto3 and the AWS CLI v1 include it).
#   python3 pullgate-prove-account.py --nonce=<nonce> [--url=https://sts.us-east-1.amazonaws.com/] [--region=us-east-1]
# (with "=": a nonce may start with "-")
import argparse, json, sys
from urllib.parse import urlsplit

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

parser = argparse.ArgumentParser(description="Sign a Pullgate proof of control of an AWS account")
parser.add_argument("--nonce", required=True, help="the nonce Pullgate shows for the account")
parser.add_argument("--url", default="https://sts.us-east-1.amazonaws.com/", help="the STS endpoint Pullgate names")
parser.add_argument("--region", default="us-east-1", help="the region Pullgate names")
args = parser.parse_args()

credentials = botocore.session.get_session().get_credentials()
if credentials is None:
    sys.exit("No AWS credentials found: use credentials of the account to prove (aws configure, AWS_PROFILE, ...)")
body = "Action=GetCallerIdentity&Version=2011-06-15"
headers = {
    "Host": urlsplit(args.url).netloc,
    "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    "X-Pullgate-Proof-Nonce": args.nonce,
}
request = AWSRequest(method="POST", url=args.url, data=body, headers=headers)
SigV4Auth(credentials.get_frozen_credentials(), "sts", args.region).add_auth(request)
print(json.dumps({"method": "POST", "url": args.url, "headers": dict(request.headers.items()), "body": body}))
