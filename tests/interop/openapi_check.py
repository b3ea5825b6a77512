"""The admin API's OpenAPI document, checked by the openapi-spec-validator package and used as a
client would: every read whose path can be filled is called with an owner's admin token and its
answer validated against the document's schema; a write is built from its request-body schema
alone (no knowledge of the route beyond the document) and must be accepted; problems match the
Problem response.

Usage: openapi_check.py GATEWAY_BASE_URL ADMIN_TOKEN SERVER USER GROUP ADMIN COMPOSED_SERVER
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import jsonschema
from jsonschema.validators import validator_for
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

FAILED = []


def check(what, ok, detail=""):
    print(f"{'PASS' if ok else 'FAIL'} {what}" + ("" if ok else f": {str(detail)[:600]}"))
    if not ok:
        FAILED.append(what)


def request(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("content-type", ""), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("content-type", ""), json.loads(e.read() or b"null")


def main():
    base, token, server, user, group, admin, composed = sys.argv[1:8]
    with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=30) as r:
        doc = json.loads(r.read())
    # 1. The document is valid OpenAPI (3.1: the validator picks the version from the document).
    try:
        validate(doc)
        check("openapi-spec-validator accepts the document", True)
    except Exception as e:  # noqa: BLE001 - the validator's errors are many types
        check("openapi-spec-validator accepts the document", False, e)
    check("the document is OpenAPI 3.1", doc.get("openapi") == "3.1.0", doc.get("openapi"))

    uri = "urn:mcpcp:admin-openapi"
    registry = Registry().with_resource(uri, Resource.from_contents(doc, default_specification=DRAFT202012))

    def validator(ref):
        schema = {"$ref": uri + ref}
        return validator_for({}, default=jsonschema.Draft202012Validator)(schema, registry=registry)

    operations = [
        (path, method, op) for path, methods in doc["paths"].items() for method, op in methods.items()
    ]
    check("every operation declares its permission", all("x-permission" in op for _, _, op in operations))
    check(
        "every operation has a unique operationId",
        len({op["operationId"] for _, _, op in operations}) == len(operations),
    )

    # 2. Every read whose path parameters we can fill: called, its answer valid by its schema.
    fill = {"servers": server, "users": user, "groups": group, "admins": admin, "roles": "auditor"}
    called = 0
    for path, method, op in operations:
        if method != "get":
            continue
        segments = path.split("/")
        concrete = []
        # A composed server's own tools are read from a composed server.
        names = {**fill, "servers": composed} if path.endswith("/composed-tools") else fill
        for i, seg in enumerate(segments):
            if seg.startswith("{"):
                value = names.get(segments[i - 1])
                if value is None:
                    break
                concrete.append(urllib.parse.quote(value, safe=""))
            else:
                concrete.append(seg)
        else:
            required = [p for p in op.get("parameters", []) if p["in"] == "query" and p.get("required")]
            if required:
                continue
            status, ctype, body = request(base, token, "GET", "/".join(concrete))
            if status == 404 and "404" in op["responses"] and ctype.startswith("application/problem+json"):
                # A singleton not set up (SSO): the documented problem.
                problem = doc["components"]["responses"]["Problem"]["content"]["application/problem+json"]["schema"]
                errors = list(jsonschema.Draft202012Validator(problem).iter_errors(body))
                check(f"GET {path}: a documented 404 problem", not errors, (status, errors[:2], body))
                called += 1
                continue
            ok = status == 200 and ctype.startswith("application/json")
            ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            errors = list(validator(ref).iter_errors(body)) if ok else []
            check(f"GET {path}: 200, the answer valid by {ref.rsplit('/', 1)[-1]}", ok and not errors,
                  (status, errors[:2], body))
            called += 1
    check("most reads were called", called >= 15, called)

    # 3. A write built from the document alone: create a token for the server.
    create = doc["paths"]["/api/v1/servers/{server}/tokens"]["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body_schema = doc["components"]["schemas"][body_ref.rsplit("/", 1)[-1]]
    check("the request body leaves the path's fields out", "server" not in body_schema.get("properties", {}),
          body_schema)
    body = {name: "openapi-check" for name in body_schema.get("required", [])}
    if "name" in body_schema.get("properties", {}):
        body["name"] = "openapi-check"
    errors = list(validator(body_ref).iter_errors(body))
    check("the body is valid by the document", not errors, errors[:2])
    status, _, answer = request(base, token, "POST", f"/api/v1/servers/{server}/tokens", body)
    out_ref = create["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    errors = list(validator(out_ref).iter_errors(answer)) if status == 200 else []
    check("POST /servers/{server}/tokens from the document: 200 and a valid answer", status == 200 and not errors,
          (status, errors[:2], answer))

    # 4. Problems as documented: an unknown field, an unknown server, no token.
    problem = doc["components"]["responses"]["Problem"]["content"]["application/problem+json"]["schema"]
    problem_validator = jsonschema.Draft202012Validator(problem)
    for what, (status, ctype, answer) in {
        "an unknown body field is a 400 problem": request(
            base, token, "POST", f"/api/v1/servers/{server}/tokens", {"name": "x", "bogus": 1}),
        "an unknown server is a 404 problem": request(base, token, "GET", "/api/v1/servers/no-such-server"),
        "no admin token is a 401 problem": request(base, "", "GET", "/api/v1/servers"),
    }.items():
        want = {"400": 400, "404": 404, "401": 401}[what.split(" is a ")[1][:3]]
        check(what, status == want and ctype.startswith("application/problem+json")
              and not list(problem_validator.iter_errors(answer)), (status, ctype, answer))

    # 5. The log stream is documented.
    logs = doc["paths"]["/api/v1/logs"]["get"]
    check("GET /logs documents its NDJSON and SSE streams",
          {"application/x-ndjson", "text/event-stream"} <= set(logs["responses"]["200"]["content"]),
          logs["responses"]["200"])
    names = {p["name"] for p in logs.get("parameters", [])}
    check("GET /logs documents follow", "follow" in names, names)

    print(f"openapi check: {len(FAILED)} failed")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
