#!/usr/bin/env python3
"""A fault-injecting OpenAI-compatible server (Python standard library only), as a real process for the shard test.

Every fault is keyed by a hash of the prompt, so a sample meets the same fault whichever shard sends it and however
often it is retried; a sharded run and an unsharded one therefore see the same outcomes:

    hash % 12 == 0  HTTP 500 on every attempt                    -> error (http_500)
    hash % 12 == 1  a stall longer than the client's first-byte timeout on every attempt -> error (timeout)
    hash % 12 == 2  a 200 whose body is cut short on every attempt -> error (truncated_body)
    hash % 12 == 3  a context-length error (llama.cpp wording)   -> overflow, never retried
    hash % 12 == 4  HTTP 503 on odd attempts, an answer on even ones -> ok after a retry
    hash % 12 == 5  HTTP 429 (Retry-After: 0) on odd attempts, an answer on even ones -> ok after a retry
    otherwise       an answer: the prompt's numbers of 5 or more digits that the hash picks (some, all or none)

Also /health, /v1/models (vLLM's max_model_len) and 404 on /props and /tokenize. Prints `port N` on stdout once
listening (port 0 picks a free one).

    python3 scripts/integration/fault_server.py [--port 0] [--stall 3]
"""
import argparse
import hashlib
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = 12
attempts = {}
attempts_lock = threading.Lock()


def prompt_of(body):
    if "messages" in body:
        parts = []
        for message in body["messages"]:
            content = message.get("content")
            if isinstance(content, list):
                content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
            parts.append(str(content or ""))
        return "\n".join(parts)
    return str(body.get("prompt", ""))


def answer_for(prompt, digest):
    numbers = list(dict.fromkeys(re.findall(r"\d{5,}", prompt)))
    picked = [n for k, n in enumerate(numbers) if digest[1 + k % 30] % 3 != 0]
    return " ".join(picked) if picked else "I could not find it."


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    stall = 3.0

    def log_message(self, *args):
        pass

    def send_json(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.send_json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": "fault-model", "object": "model", "max_model_len": 1048576}]})
        else:
            self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_json(400, {"error": {"message": "bad json"}})
            return
        if not self.path.endswith("completions"):
            self.send_json(404, {"error": {"message": "not found"}})
            return
        prompt = prompt_of(body)
        digest = hashlib.sha256(prompt.encode("utf-8", "surrogatepass")).digest()
        fault = int.from_bytes(digest[:4], "big") % FAULTS
        with attempts_lock:
            attempts[digest] = attempts.get(digest, 0) + 1
            attempt = attempts[digest]
        if fault == 0:
            self.send_json(500, {"error": {"message": "injected server error"}})
        elif fault == 1:
            time.sleep(self.stall)
            self.close_connection = True
        elif fault == 2:
            data = json.dumps(self.completion(body, "cut short", len(prompt.split()))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif fault == 3:
            message = "the request exceeds the available context size, try increasing it"
            self.send_json(400, {"error": {"code": 400, "message": message, "type": "exceed_context_size_error",
                                           "n_prompt_tokens": len(prompt.split()) * 2, "n_ctx": 512}})
        elif fault in (4, 5) and attempt % 2 == 1:
            if fault == 4:
                self.send_json(503, {"error": {"message": "injected transient overload"}})
            else:
                self.send_json(429, {"error": {"message": "injected rate limit"}}, {"Retry-After": "0"})
        else:
            self.send_json(200, self.completion(body, answer_for(prompt, digest), len(prompt.split())))

    @staticmethod
    def completion(body, text, prompt_tokens):
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(text.split()), "total_tokens": prompt_tokens + len(text.split())}
        if "messages" in body:
            return {"id": "fault", "object": "chat.completion", "model": body.get("model", ""), "usage": usage,
                    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}]}
        return {"id": "fault", "object": "text_completion", "model": body.get("model", ""), "usage": usage,
                "choices": [{"index": 0, "finish_reason": "stop", "text": text}]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stall", type=float, default=3.0, help="seconds a stalled request waits before closing")
    args = parser.parse_args()
    Handler.stall = args.stall
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"port {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
