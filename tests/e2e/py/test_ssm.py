"""SSM Parameter Store through boto3 (1.43 and 1.26) and the AWS CLI: versions, selectors, labels,
tiers, SecureString, hierarchies, filters, pagination, tags and AWS's errors."""
import datetime
import json
import unittest

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase, cli_available

ACCOUNT = "000000000000"
INVALID_NAME = ("Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it can "
                "consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, "
                "numbers and the following 3 symbols .-_")


class SsmTest(StratusTestCase):
    def setUp(self):
        self.ssm = self.client("ssm")

    def err(self, fn):
        with self.assertRaises(ClientError) as cm:
            fn()
        e = cm.exception.response
        self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 400)
        return e["Error"]

    def test_put_get_overwrite_and_selectors(self):
        r = self.ssm.put_parameter(Name="/app/one/url", Value="v1", Type="String", Description="first")
        self.assertEqual((r["Version"], r["Tier"]), (1, "Standard"))
        p = self.ssm.get_parameter(Name="/app/one/url")["Parameter"]
        self.assertEqual(p["Name"], "/app/one/url")
        self.assertEqual(p["Value"], "v1")
        self.assertEqual(p["Type"], "String")
        self.assertEqual(p["Version"], 1)
        self.assertEqual(p["DataType"], "text")
        self.assertEqual(p["ARN"], "arn:aws:ssm:us-east-1:%s:parameter/app/one/url" % ACCOUNT)
        self.assertIsInstance(p["LastModifiedDate"], datetime.datetime)
        self.assertNotIn("Selector", p)
        e = self.err(lambda: self.ssm.put_parameter(Name="/app/one/url", Value="v2", Type="String"))
        self.assertEqual(e["Code"], "ParameterAlreadyExists")
        self.assertEqual(e["Message"], "The parameter already exists. To overwrite this value, set the overwrite "
                                       "option in the request to true.")
        r = self.ssm.put_parameter(Name="/app/one/url", Value="v2", Overwrite=True)  # Type kept
        self.assertEqual(r["Version"], 2)
        p = self.ssm.get_parameter(Name="/app/one/url:1")["Parameter"]
        self.assertEqual((p["Name"], p["Value"], p["Version"], p["Selector"]), ("/app/one/url", "v1", 1, ":1"))
        self.assertEqual(self.ssm.get_parameter(Name="/app/one/url")["Parameter"]["Value"], "v2")
        e = self.err(lambda: self.ssm.get_parameter(Name="/app/one/url:7"))
        self.assertEqual(e["Code"], "ParameterVersionNotFound")
        e = self.err(lambda: self.ssm.get_parameter(Name="/app/none"))
        self.assertEqual(e["Code"], "ParameterNotFound")
        self.ssm.put_parameter(Name="plain", Value="a,b,c", Type="StringList")
        p = self.ssm.get_parameter(Name="plain")["Parameter"]
        self.assertEqual((p["Type"], p["Value"]), ("StringList", "a,b,c"))
        self.assertEqual(p["ARN"], "arn:aws:ssm:us-east-1:%s:parameter/plain" % ACCOUNT)
        # By ARN (the caller's own account and region), with or without a selector.
        arn = "arn:aws:ssm:us-east-1:%s:parameter/app/one/url" % ACCOUNT
        p = self.ssm.get_parameter(Name=arn + ":1")["Parameter"]
        self.assertEqual((p["Name"], p["Value"], p["Version"]), ("/app/one/url", "v1", 1))
        self.assertEqual(self.ssm.get_parameter(Name=p["ARN"].replace("/app/one/url", "/plain"))["Parameter"]["Name"],
                         "plain")
        other = "arn:aws:ssm:us-east-1:111122223333:parameter/app/one/url"
        r = self.ssm.get_parameters(Names=[arn, other])
        self.assertEqual([x["Value"] for x in r["Parameters"]], ["v2"])
        self.assertEqual(r["InvalidParameters"], [other])
        self.assertEqual(len(self.ssm.get_parameter_history(Name=arn)["Parameters"]), 2)
        d = self.ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/app/one/url"]}])
        m = d["Parameters"][0]
        self.assertEqual(m["Description"], "first")  # kept when overwriting without one
        self.assertEqual(m["Version"], 2)
        self.assertEqual(m["Policies"], [])
        self.assertTrue(m["LastModifiedUser"].startswith("arn:aws:"), m["LastModifiedUser"])

    def test_secure_string(self):
        self.ssm.put_parameter(Name="/sec/db", Value="hunter2", Type="SecureString")
        plain = self.ssm.get_parameter(Name="/sec/db")["Parameter"]["Value"]
        self.assertNotEqual(plain, "hunter2")
        self.assertNotIn("hunter2", plain)
        self.assertEqual(self.ssm.get_parameter(Name="/sec/db")["Parameter"]["Value"], plain)
        self.assertEqual(self.ssm.get_parameter(Name="/sec/db", WithDecryption=True)["Parameter"]["Value"], "hunter2")
        m = self.ssm.describe_parameters(ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]},
                                                          {"Key": "Path", "Values": ["/sec"]}])["Parameters"]
        self.assertEqual([(x["Name"], x["KeyId"]) for x in m], [("/sec/db", "alias/aws/ssm")])
        self.ssm.put_parameter(Name="/sec/custom", Value="x", Type="SecureString", KeyId="alias/mine")
        h = self.ssm.get_parameter_history(Name="/sec/custom", WithDecryption=True)["Parameters"]
        self.assertEqual((h[0]["KeyId"], h[0]["Value"]), ("alias/mine", "x"))
        by = self.ssm.get_parameters_by_path(Path="/sec", WithDecryption=True)["Parameters"]
        self.assertEqual(sorted((x["Name"], x["Value"]) for x in by), [("/sec/custom", "x"), ("/sec/db", "hunter2")])
        e = self.err(lambda: self.ssm.put_parameter(Name="/sec/k", Value="x", Type="String", KeyId="alias/mine"))
        self.assertEqual(e["Code"], "ValidationException")

    def test_name_rules(self):
        e = self.err(lambda: self.ssm.put_parameter(Name="has space", Value="x", Type="String"))
        self.assertEqual((e["Code"], e["Message"]), ("ValidationException", INVALID_NAME))
        e = self.err(lambda: self.ssm.put_parameter(Name="awsThing", Value="x", Type="String"))
        self.assertEqual(e["Message"], "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).")
        e = self.err(lambda: self.ssm.put_parameter(Name="SSMthing", Value="x", Type="String"))
        self.assertEqual(e["Code"], "ValidationException")
        e = self.err(lambda: self.ssm.put_parameter(Name="/Ssm/x", Value="x", Type="String"))
        self.assertEqual(e["Message"], INVALID_NAME)
        deep = "".join("/l%d" % i for i in range(16))
        e = self.err(lambda: self.ssm.put_parameter(Name=deep, Value="x", Type="String"))
        self.assertEqual(e["Code"], "HierarchyLevelLimitExceededException")
        self.assertTrue(e["Message"].startswith("A hierarchy can have a maximum of 15 levels."))
        self.ssm.put_parameter(Name="".join("/l%d" % i for i in range(15)), Value="x", Type="String")
        e = self.err(lambda: self.ssm.put_parameter(Name="a/b", Value="x", Type="String"))
        self.assertEqual(e["Message"], "Parameter name must be a fully qualified name.")
        e = self.err(lambda: self.ssm.put_parameter(Name="/notype", Value="x"))
        self.assertEqual(e["Message"], "A parameter type is required when you create a parameter.")
        e = self.err(lambda: self.ssm.get_parameter(Name="bad name"))
        self.assertEqual(e["Code"], "ValidationException")
        too_long = "/" + "n" * (1011 - len("arn:aws:ssm:us-east-1:%s:parameter/" % ACCOUNT) + 1)
        e = self.err(lambda: self.ssm.put_parameter(Name=too_long, Value="x", Type="String"))
        self.assertEqual(e["Code"], "ValidationException")

    def test_pattern_tiers_and_tags_on_create(self):
        e = self.err(lambda: self.ssm.put_parameter(Name="/pat", Value="abc", Type="String", AllowedPattern=r"^\d+$"))
        self.assertEqual(e["Code"], "ParameterPatternMismatchException")
        self.assertEqual(e["Message"], r"Parameter value, cannot be validated against allowedPattern: ^\d+$")
        self.ssm.put_parameter(Name="/pat", Value="123", Type="String", AllowedPattern=r"^\d+$")
        e = self.err(lambda: self.ssm.put_parameter(Name="/pat", Value="x1", Overwrite=True))
        self.assertEqual(e["Code"], "ParameterPatternMismatchException")  # the pattern stays
        big = "x" * 4097
        e = self.err(lambda: self.ssm.put_parameter(Name="/big", Value=big, Type="String"))
        self.assertEqual(e["Code"], "ValidationException")
        self.assertTrue(e["Message"].startswith("Standard tier parameters support a maximum parameter value of 4096"))
        self.assertEqual(self.ssm.put_parameter(Name="/big", Value=big, Type="String", Tier="Advanced")["Tier"],
                         "Advanced")
        e = self.err(lambda: self.ssm.put_parameter(Name="/big", Value="x" * 8193, Overwrite=True, Tier="Advanced"))
        self.assertEqual(e["Code"], "ValidationException")
        e = self.err(lambda: self.ssm.put_parameter(Name="/big", Value="small", Overwrite=True, Tier="Standard"))
        self.assertEqual(e["Code"], "ValidationException")
        self.assertIn("can't downgrade", e["Message"])
        r = self.ssm.put_parameter(Name="/it/small", Value="s", Type="String", Tier="Intelligent-Tiering")
        self.assertEqual(r["Tier"], "Standard")
        r = self.ssm.put_parameter(Name="/it/large", Value=big, Type="String", Tier="Intelligent-Tiering")
        self.assertEqual(r["Tier"], "Advanced")
        self.ssm.put_parameter(Name="/tagged", Value="v", Type="String", Tags=[{"Key": "team", "Value": "a"}])
        tags = self.ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tagged")["TagList"]
        self.assertEqual(tags, [{"Key": "team", "Value": "a"}])
        e = self.err(lambda: self.ssm.put_parameter(Name="/tagged", Value="v", Overwrite=True,
                                                    Tags=[{"Key": "k", "Value": "v"}]))
        self.assertEqual(e["Code"], "ValidationException")
        self.assertTrue(e["Message"].startswith("Invalid request: tags and overwrite can't be used together."))
        r = self.ssm.put_parameter(Name="/ami", Value="ami-0123456789abcdef0", Type="String", DataType="aws:ec2:image")
        self.assertEqual(r["Version"], 1)
        self.assertEqual(self.ssm.get_parameter(Name="/ami")["Parameter"]["DataType"], "aws:ec2:image")
        e = self.err(lambda: self.ssm.put_parameter(Name="/dt", Value="v", Type="String", DataType="json"))
        self.assertEqual(e["Code"], "ValidationException")

    def test_pathological_pattern_does_not_stall_the_server(self):
        # Catastrophic backtracking: (a+)+$ against a long value with a non-matching tail. A
        # backtracking matcher without a bound would take longer than the universe has left; the
        # value is refused with the pattern error and the server keeps serving.
        e = self.err(lambda: self.ssm.put_parameter(Name="/evil", Value="a" * 3000 + "!", Type="String",
                                                    AllowedPattern="^(a+)+$"))
        self.assertEqual(e["Code"], "ParameterPatternMismatchException")
        long = "b" * 8000
        r = self.ssm.put_parameter(Name="/long", Value=long, Type="String", Tier="Advanced", AllowedPattern="^.*$")
        self.assertEqual(r["Version"], 1)
        self.assertEqual(self.ssm.get_parameter(Name="/long")["Parameter"]["Value"], long)

    def test_get_parameters_and_delete(self):
        for n in ("/d/a", "/d/b", "/d/c"):
            self.ssm.put_parameter(Name=n, Value=n, Type="String")
        r = self.ssm.get_parameters(Names=["/d/a", "/d/missing", "/d/b:1", "/d/b:5"])
        self.assertEqual(sorted(p["Name"] for p in r["Parameters"]), ["/d/a", "/d/b"])
        self.assertEqual(sorted(r["InvalidParameters"]), ["/d/b:5", "/d/missing"])
        self.assertEqual([p.get("Selector") for p in r["Parameters"] if p["Name"] == "/d/b"], [":1"])
        self.ssm.delete_parameter(Name="/d/a")
        e = self.err(lambda: self.ssm.delete_parameter(Name="/d/a"))
        self.assertEqual(e["Code"], "ParameterNotFound")
        r = self.ssm.delete_parameters(Names=["/d/b", "/d/c", "/d/zzz"])
        self.assertEqual(sorted(r["DeletedParameters"]), ["/d/b", "/d/c"])
        self.assertEqual(r["InvalidParameters"], ["/d/zzz"])
        self.assertEqual(self.ssm.get_parameters_by_path(Path="/d")["Parameters"], [])

    def test_get_parameters_by_path(self):
        for n in ("/p/a", "/p/b", "/p/c", "/p/sub/d", "/p/sub/deeper/e", "/px/f"):
            self.ssm.put_parameter(Name=n, Value=n, Type="SecureString" if n.endswith("c") else "String")
        one = self.ssm.get_parameters_by_path(Path="/p")["Parameters"]
        self.assertEqual(sorted(p["Name"] for p in one), ["/p/a", "/p/b", "/p/c"])
        rec = self.ssm.get_parameters_by_path(Path="/p/", Recursive=True)["Parameters"]
        self.assertEqual(sorted(p["Name"] for p in rec), ["/p/a", "/p/b", "/p/c", "/p/sub/d", "/p/sub/deeper/e"])
        names, token, pages = [], None, 0
        while True:
            kw = {"NextToken": token} if token else {}
            r = self.ssm.get_parameters_by_path(Path="/p", Recursive=True, MaxResults=2, **kw)
            self.assertLessEqual(len(r["Parameters"]), 2)
            names += [p["Name"] for p in r["Parameters"]]
            pages += 1
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual(sorted(names), ["/p/a", "/p/b", "/p/c", "/p/sub/d", "/p/sub/deeper/e"])
        self.assertGreaterEqual(pages, 3)
        f = self.ssm.get_parameters_by_path(Path="/p", Recursive=True,
                                            ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]}])
        self.assertEqual([p["Name"] for p in f["Parameters"]], ["/p/c"])
        e = self.err(lambda: self.ssm.get_parameters_by_path(Path="/p", ParameterFilters=[{"Key": "Name",
                                                                                          "Values": ["x"]}]))
        self.assertEqual(e["Code"], "InvalidFilterKey")
        e = self.err(lambda: self.ssm.get_parameters_by_path(Path="/p", NextToken="not-a-token"))
        self.assertEqual(e["Code"], "InvalidNextToken")
        e = self.err(lambda: self.ssm.get_parameters_by_path(Path="p"))
        self.assertEqual(e["Code"], "ValidationException")
        self.ssm.label_parameter_version(Name="/p/a", Labels=["stable"])
        self.ssm.put_parameter(Name="/p/a", Value="newer", Overwrite=True)
        lab = self.ssm.get_parameters_by_path(Path="/p", ParameterFilters=[{"Key": "Label", "Values": ["stable"]}])
        self.assertEqual([(p["Name"], p["Version"], p["Value"]) for p in lab["Parameters"]], [("/p/a", 1, "/p/a")])

    def test_describe_parameters_filters(self):
        for n, t in (("/q/a", "String"), ("/q/b", "StringList"), ("/q/deep/c", "String"), ("qtop", "String")):
            env = "q" if n.startswith("/q/") else "top"
            self.ssm.put_parameter(Name=n, Value="v", Type=t, Tags=[{"Key": "env", "Value": env}])

        def names(**kw):
            out = []
            for page in self.ssm.get_paginator("describe_parameters").paginate(**kw):
                out += [p["Name"] for p in page["Parameters"]]
            return sorted(out)

        self.assertEqual(names(ParameterFilters=[{"Key": "Path", "Values": ["/q"]}]), ["/q/a", "/q/b"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Path", "Option": "Recursive", "Values": ["/q"]}]),
                         ["/q/a", "/q/b", "/q/deep/c"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": ["/q/"]}]),
                         ["/q/a", "/q/b", "/q/deep/c"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Name", "Values": ["qtop"]}]), ["qtop"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Type", "Values": ["StringList"]},
                                                {"Key": "Path", "Option": "Recursive", "Values": ["/q"]}]), ["/q/b"])
        self.assertEqual(names(ParameterFilters=[{"Key": "tag:env", "Values": ["q"]}]), ["/q/a", "/q/b", "/q/deep/c"])
        self.assertEqual(names(Filters=[{"Key": "Name", "Values": ["/q/d"]}]), ["/q/deep/c"])
        r = self.ssm.describe_parameters(MaxResults=2)
        self.assertEqual(len(r["Parameters"]), 2)
        self.assertIn("NextToken", r)
        e = self.err(lambda: self.ssm.describe_parameters(Filters=[{"Key": "Name", "Values": ["a"]}],
                                                          ParameterFilters=[{"Key": "Name", "Values": ["a"]}]))
        self.assertEqual(e["Message"], "You can use either Filters or ParameterFilters in a single request.")
        e = self.err(lambda: self.ssm.describe_parameters(
            ParameterFilters=[{"Key": "Path", "Option": "BeginsWith", "Values": ["/q"]}]))
        self.assertEqual(e["Code"], "InvalidFilterOption")
        self.assertEqual(e["Message"], "The following filter option is not valid: BeginsWith. Valid options include: "
                                       "[Recursive, OneLevel].")
        e = self.err(lambda: self.ssm.describe_parameters(ParameterFilters=[{"Key": "Type", "Values": ["Nope"]}]))
        self.assertEqual(e["Code"], "InvalidFilterValue")
        e = self.err(lambda: self.ssm.describe_parameters(ParameterFilters=[{"Key": "Label", "Values": ["x"]}]))
        self.assertEqual(e["Code"], "InvalidFilterKey")
        e = self.err(lambda: self.ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["a"]},
                                                                            {"Key": "Color", "Values": ["x"]}]))
        self.assertEqual(e["Code"], "ValidationException")
        self.assertEqual(e["Message"], "1 validation error detected: Value 'Color' at 'parameterFilters.2.member.key' "
                                       "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                                       "tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType")
        e = self.err(lambda: self.ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["a"]},
                                                                            {"Key": "Name", "Values": ["b"]}]))
        self.assertEqual(e["Code"], "InvalidFilterKey")
        e = self.err(lambda: self.ssm.describe_parameters(ParameterFilters=[{"Key": "Path", "Values": ["nope"]}]))
        self.assertEqual(e["Code"], "InvalidFilterValue")
        e = self.err(lambda: self.ssm.describe_parameters(NextToken="bogus"))
        self.assertEqual(e["Code"], "InvalidNextToken")

    def test_history_and_labels(self):
        for i in range(1, 4):
            self.ssm.put_parameter(Name="/h", Value="v%d" % i, Type="String", Overwrite=i > 1)
        r = self.ssm.label_parameter_version(Name="/h", ParameterVersion=1, Labels=["prod", "1bad", "awsx", "ok.1"])
        self.assertEqual(r["ParameterVersion"], 1)
        self.assertEqual(sorted(r["InvalidLabels"]), ["1bad", "awsx"])
        p = self.ssm.get_parameter(Name="/h:prod")["Parameter"]
        self.assertEqual((p["Name"], p["Version"], p["Value"], p["Selector"]), ("/h", 1, "v1", ":prod"))
        r = self.ssm.label_parameter_version(Name="/h", Labels=["prod"])  # latest; the label moves
        self.assertEqual(r["ParameterVersion"], 3)
        self.assertEqual(r["InvalidLabels"], [])
        hist = self.ssm.get_parameter_history(Name="/h")["Parameters"]
        self.assertEqual([(h["Version"], h["Labels"]) for h in hist], [(1, ["ok.1"]), (2, []), (3, ["prod"])])
        self.assertEqual(hist[0]["Value"], "v1")
        self.assertEqual(hist[0]["Tier"], "Standard")
        self.assertEqual(hist[0]["Policies"], [])
        page = self.ssm.get_parameter_history(Name="/h", MaxResults=2)
        self.assertEqual([h["Version"] for h in page["Parameters"]], [1, 2])
        rest = self.ssm.get_parameter_history(Name="/h", MaxResults=2, NextToken=page["NextToken"])
        self.assertEqual([h["Version"] for h in rest["Parameters"]], [3])
        self.assertNotIn("NextToken", rest)
        e = self.err(lambda: self.ssm.label_parameter_version(Name="/h", ParameterVersion=9, Labels=["x"]))
        self.assertEqual(e["Code"], "ParameterVersionNotFound")
        e = self.err(lambda: self.ssm.label_parameter_version(Name="/nope", Labels=["x"]))
        self.assertEqual(e["Code"], "ParameterNotFound")
        e = self.err(lambda: self.ssm.get_parameter_history(Name="/nope"))
        self.assertEqual(e["Code"], "ParameterNotFound")
        self.ssm.label_parameter_version(Name="/h", ParameterVersion=2, Labels=["l%d" % i for i in range(10)])
        e = self.err(lambda: self.ssm.label_parameter_version(Name="/h", ParameterVersion=2, Labels=["eleventh"]))
        self.assertEqual(e["Code"], "ParameterVersionLabelLimitExceeded")
        r = self.ssm.unlabel_parameter_version(Name="/h", ParameterVersion=3, Labels=["prod", "absent"])
        self.assertEqual((r["RemovedLabels"], r["InvalidLabels"]), (["prod"], ["absent"]))
        e = self.err(lambda: self.ssm.get_parameter(Name="/h:prod"))
        self.assertEqual(e["Code"], "ParameterVersionNotFound")

    def test_max_versions(self):
        for i in range(100):
            self.ssm.put_parameter(Name="/many", Value=str(i), Type="String", Overwrite=True)
        self.ssm.label_parameter_version(Name="/many", ParameterVersion=1, Labels=["keep"])
        e = self.err(lambda: self.ssm.put_parameter(Name="/many", Value="x", Overwrite=True))
        self.assertEqual(e["Code"], "ParameterMaxVersionLimitExceeded")
        self.ssm.unlabel_parameter_version(Name="/many", ParameterVersion=1, Labels=["keep"])
        self.assertEqual(self.ssm.put_parameter(Name="/many", Value="x", Overwrite=True)["Version"], 101)
        versions = []
        for page in self.ssm.get_paginator("get_parameter_history").paginate(Name="/many"):
            versions += [h["Version"] for h in page["Parameters"]]
        self.assertEqual(versions, list(range(2, 102)))

    def test_tags(self):
        self.ssm.put_parameter(Name="/t", Value="v", Type="String")
        self.ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/t",
                                      Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        self.ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/t", Tags=[{"Key": "a", "Value": "3"}])
        self.ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId="/t", TagKeys=["b"])
        tags = self.ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/t")["TagList"]
        self.assertEqual(tags, [{"Key": "a", "Value": "3"}])
        e = self.err(lambda: self.ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/missing"))
        self.assertEqual(e["Code"], "InvalidResourceId")
        e = self.err(lambda: self.ssm.list_tags_for_resource(ResourceType="Document", ResourceId="doc"))
        self.assertEqual(e["Code"], "InvalidResourceType")
        many = [{"Key": "k%d" % i, "Value": "v"} for i in range(51)]
        e = self.err(lambda: self.ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/t", Tags=many))
        self.assertEqual(e["Code"], "TooManyTagsError")

    def test_unimplemented_operation_is_501(self):
        with self.assertRaises(ClientError) as cm:
            self.ssm.list_documents()
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 501)

    def test_zz_scoping_restart_and_reset(self):  # last: it restarts the server and wipes its state
        self.ssm.put_parameter(Name="/keep/me", Value="kept", Type="SecureString", Tags=[{"Key": "k", "Value": "v"}])
        self.ssm.label_parameter_version(Name="/keep/me", Labels=["live"])
        west = self.client("ssm", region_name="eu-west-1")
        self.assertEqual(west.get_parameters(Names=["/keep/me"])["InvalidParameters"], ["/keep/me"])
        self.stratus.kill9()
        self.stratus.restart()
        ssm = self.stratus.client("ssm")
        p = ssm.get_parameter(Name="/keep/me:live", WithDecryption=True)["Parameter"]
        self.assertEqual((p["Value"], p["Version"], p["Selector"]), ("kept", 1, ":live"))
        self.assertEqual(ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/keep/me")["TagList"],
                         [{"Key": "k", "Value": "v"}])
        self.assertEqual(self.stratus.reset()[0], 200)
        e = self.err(lambda: ssm.get_parameter(Name="/keep/me"))
        self.assertEqual(e["Code"], "ParameterNotFound")

    @unittest.skipUnless(cli_available(), "AWS CLI not installed")
    def test_cli(self):
        self.stratus.aws_cli("ssm", "put-parameter", "--name", "/cli/p", "--value", "hello", "--type", "String")
        p = self.stratus.aws_cli("ssm", "get-parameter", "--name", "/cli/p")
        out = json.loads(p.stdout)["Parameter"]
        self.assertEqual((out["Name"], out["Value"], out["Version"]), ("/cli/p", "hello", 1))
        p = self.stratus.aws_cli("ssm", "get-parameter", "--name", "/cli/none", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("ParameterNotFound", p.stderr)


if __name__ == "__main__":
    unittest.main()
