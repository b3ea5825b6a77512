"""A small REST API (FastAPI) for check_rest: mcpcp imports FastAPI's own /openapi.json.

Usage: rest_api.py  — prints `ready http://127.0.0.1:PORT`, then serves until killed.

Operations: GET /pets (query `limit`, `tag`), GET /pets/{pet_id} (path, query `verbose`; 404 for
an unknown pet), POST /pets (JSON body; needs the API key header `X-API-Key: key-1`; 401
otherwise). The last request's headers are at GET /_last (not in the document).
"""

import socket
import sys

import uvicorn
from fastapi import FastAPI, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import BaseModel

app = FastAPI(title="pets", version="1.0.0")
PETS = {1: {"id": 1, "name": "rex", "tag": "dog"}, 2: {"id": 2, "name": "tom", "tag": "cat"}}
LAST = {}
api_key = APIKeyHeader(name="X-API-Key", auto_error=False)


@app.middleware("http")
async def remember(request: Request, call_next):
    if request.url.path != "/_last":
        LAST.clear()
        LAST.update({k.lower(): v for k, v in request.headers.items()})
    return await call_next(request)


class NewPet(BaseModel):
    name: str
    tag: str | None = None


@app.get("/pets", operation_id="listPets", summary="List pets")
def list_pets(limit: int = 10, tag: str | None = None):
    pets = [p for p in PETS.values() if tag is None or p["tag"] == tag]
    return pets[:limit]


@app.get("/pets/{pet_id}", operation_id="getPet", summary="One pet by id")
def get_pet(pet_id: int, verbose: bool = False):
    if pet_id not in PETS:
        raise HTTPException(status_code=404, detail=f"no pet {pet_id}")
    pet = dict(PETS[pet_id])
    if verbose:
        pet["verbose"] = True
    return pet


@app.post("/pets", operation_id="createPet", summary="Create a pet", status_code=201)
def create_pet(pet: NewPet, key: str | None = Security(api_key)):
    if key != "key-1":
        raise HTTPException(status_code=401, detail="a valid X-API-Key is required")
    new = {"id": max(PETS) + 1, "name": pet.name, "tag": pet.tag}
    PETS[new["id"]] = new
    return new


@app.get("/_last", include_in_schema=False)
def last():
    return LAST


if __name__ == "__main__":
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(f"ready http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    server.run(sockets=[sock])
    sys.exit(0)
