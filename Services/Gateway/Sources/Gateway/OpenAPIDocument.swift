import Foundation
import MatchingV1
import ProfilesV1
import ProtoJSON

/// The OpenAPI 3.1 document served at `/openapi.json`: the paths and request bodies written here,
/// and the schemas of every message and enum generated from proto/ (`<File>Proto.openAPISchemas`),
/// which describe exactly what the generated JSON writers write. Tests validate the document, check
/// real responses against its schemas, and check that its operations are the route table's.
enum OpenAPIDocument {
    /// The document as JSON text (keys sorted).
    static let json: String = {
        guard case .object(var document) = try! JSONValue.parse(Data(written.utf8)),
            case .object(var components) = document["components"],
            case .object(var schemas) = components["schemas"]
        else { preconditionFailure("OpenAPIDocument.written is not an OpenAPI document") }
        for generated in [ProfilesProto.openAPISchemas, MatchingProto.openAPISchemas] {
            guard case .object(let more) = try! JSONValue.parse(Data(generated.utf8)) else {
                preconditionFailure("generated schemas are not an object")
            }
            for (name, schema) in more {
                precondition(schemas[name] == nil, "two schemas are named \(name)")
                schemas[name] = schema
            }
        }
        components["schemas"] = .object(schemas)
        document["components"] = .object(components)
        return String(decoding: JSONValue.object(document).serialized(), as: UTF8.self)
    }()

    /// The paths, their parameters and request bodies, and the schemas no message describes.
    private static let written = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "MentorNet gateway",
            "version": "0.1.0",
            "description": "JSON over HTTP for the MentorNet services. Errors are {\"error\": {\"code\", \"message\", \"details\"}} with grpc-gateway v2's HTTP status for the gRPC code."
          },
          "paths": {
            "/v1/members": {
              "post": {
                "operationId": "createMember",
                "summary": "Create a member",
                "parameters": [
                  {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": false,
                    "description": "Retries with the same key return the first result.",
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 200
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MemberInput"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Created",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Member"
                        }
                      }
                    },
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      },
                      "ETag": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "get": {
                "operationId": "listMembers",
                "summary": "Search members",
                "parameters": [
                  {
                    "name": "network",
                    "in": "query",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "role",
                    "in": "query",
                    "schema": {
                      "$ref": "#/components/schemas/Role"
                    }
                  },
                  {
                    "name": "skill",
                    "in": "query",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "q",
                    "in": "query",
                    "description": "Words that must all appear in the profile.",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "status",
                    "in": "query",
                    "schema": {
                      "$ref": "#/components/schemas/MemberStatus"
                    }
                  },
                  {
                    "name": "pageSize",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 200,
                      "default": 50
                    }
                  },
                  {
                    "name": "pageToken",
                    "in": "query",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of members",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ListMembersResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/members/{id}": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "get": {
                "operationId": "getMember",
                "summary": "Read a member",
                "responses": {
                  "200": {
                    "description": "The member",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Member"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "patch": {
                "operationId": "updateMember",
                "summary": "Change the fields present in the body (JSON merge)",
                "parameters": [
                  {
                    "name": "If-Match",
                    "in": "header",
                    "required": false,
                    "description": "The version the client read, e.g. \"3\"; a stale version is 409.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MemberPatch"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The updated member",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Member"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "delete": {
                "operationId": "deactivateMember",
                "summary": "Deactivate a member (kept for history)",
                "parameters": [
                  {
                    "name": "If-Match",
                    "in": "header",
                    "required": false,
                    "description": "The version the client read, e.g. \"3\"; a stale version is 409.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The deactivated member",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Member"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/members/{id}:pause": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "post": {
                "operationId": "pauseMember",
                "summary": "Pause: keep matches, get no new ones",
                "parameters": [
                  {
                    "name": "If-Match",
                    "in": "header",
                    "required": false,
                    "description": "The version the client read, e.g. \"3\"; a stale version is 409.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The paused member",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Member"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/members/{id}:resume": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "post": {
                "operationId": "resumeMember",
                "summary": "Resume a paused member",
                "parameters": [
                  {
                    "name": "If-Match",
                    "in": "header",
                    "required": false,
                    "description": "The version the client read, e.g. \"3\"; a stale version is 409.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The active member",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Member"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/healthz": {
              "get": {
                "operationId": "liveness",
                "summary": "The gateway process is alive",
                "responses": {
                  "200": {
                    "description": "Alive",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "status": {
                              "type": "string"
                            }
                          },
                          "required": [
                            "status"
                          ]
                        }
                      }
                    }
                  }
                }
              }
            },
            "/readyz": {
              "get": {
                "operationId": "readiness",
                "summary": "Every backend answers its health check",
                "responses": {
                  "200": {
                    "description": "Ready",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Readiness"
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "Not ready",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Readiness"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics",
                "responses": {
                  "200": {
                    "description": "Prometheus text format",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {
                  "200": {
                    "description": "OpenAPI 3.1",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/v1/members/{id}/suggestions": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "get": {
                "operationId": "getSuggestions",
                "summary": "The best mentors (or mutual peers) for a member, with explanations",
                "parameters": [
                  {
                    "name": "network",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "pattern": "^[a-z0-9-]{1,64}$"
                    }
                  },
                  {
                    "name": "kind",
                    "in": "query",
                    "required": false,
                    "description": "MATCH_KIND_ONE_WAY (mentors, the default) or MATCH_KIND_MUTUAL (peers)",
                    "schema": {
                      "$ref": "#/components/schemas/MatchKind"
                    }
                  },
                  {
                    "name": "limit",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 50,
                      "default": 10
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Suggestions, best first",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/GetSuggestionsResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/members/{id}/matches": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "get": {
                "operationId": "listMemberMatches",
                "summary": "A member's matches, newest first",
                "parameters": [
                  {
                    "name": "state",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "$ref": "#/components/schemas/MatchState"
                    }
                  },
                  {
                    "name": "pageSize",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 200,
                      "default": 50
                    }
                  },
                  {
                    "name": "pageToken",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of matches",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ListMatchesResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/matches": {
              "post": {
                "operationId": "proposeMatch",
                "summary": "Request a mentor (or peer) for a member, or propose a match as an administrator",
                "parameters": [
                  {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": false,
                    "description": "Retries with the same key return the first result.",
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 200
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MatchProposal"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The proposed match",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Match"
                        }
                      }
                    },
                    "headers": {
                      "Location": {
                        "description": "Where the new resource is",
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/matches/{id}": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mat_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "get": {
                "operationId": "getMatch",
                "summary": "Read a match",
                "responses": {
                  "200": {
                    "description": "The match",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Match"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/matches/{id}:accept": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mat_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "post": {
                "operationId": "acceptMatch",
                "summary": "A partner accepts; when both have, the match is active",
                "parameters": [
                  {
                    "name": "If-Match",
                    "in": "header",
                    "required": false,
                    "description": "The version the client read, e.g. \"3\"; a stale version is 409.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MatchAction"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The match",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Match"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/matches/{id}:decline": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mat_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "post": {
                "operationId": "declineMatch",
                "summary": "A partner declines a proposal",
                "parameters": [
                  {
                    "name": "If-Match",
                    "in": "header",
                    "required": false,
                    "description": "The version the client read, e.g. \"3\"; a stale version is 409.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MatchAction"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The match",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Match"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/matches/{id}:withdraw": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mat_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "post": {
                "operationId": "withdrawMatch",
                "summary": "A partner withdraws a proposal",
                "parameters": [
                  {
                    "name": "If-Match",
                    "in": "header",
                    "required": false,
                    "description": "The version the client read, e.g. \"3\"; a stale version is 409.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MatchAction"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The match",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Match"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/matches/{id}:end": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^mat_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "post": {
                "operationId": "endMatch",
                "summary": "A partner ends an active match: completed, or ended with a reason",
                "parameters": [
                  {
                    "name": "If-Match",
                    "in": "header",
                    "required": false,
                    "description": "The version the client read, e.g. \"3\"; a stale version is 409.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MatchEnd"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The match",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Match"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/rounds": {
              "post": {
                "operationId": "runRound",
                "summary": "Compute a matching round for a network and store it as a dry run",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RoundRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The round, a dry run",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Round"
                        }
                      }
                    },
                    "headers": {
                      "Location": {
                        "description": "Where the new resource is",
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/rounds/{id}": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^rnd_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "get": {
                "operationId": "getRound",
                "summary": "Read a round",
                "responses": {
                  "200": {
                    "description": "The round",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Round"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/rounds/{id}:publish": {
              "parameters": [
                {
                  "name": "id",
                  "in": "path",
                  "required": true,
                  "schema": {
                    "type": "string",
                    "pattern": "^rnd_[0-9a-hjkmnp-tv-z]{26}$"
                  }
                }
              ],
              "post": {
                "operationId": "publishRound",
                "summary": "Propose a dry-run round's pairs",
                "responses": {
                  "200": {
                    "description": "The published round",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Round"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  },
                  "504": {
                    "$ref": "#/components/responses/Error"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            }
          },
          "components": {
            "responses": {
              "Error": {
                "description": "An error",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "schemas": {
              "MemberInput": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "email": {
                    "type": "string",
                    "format": "email",
                    "maxLength": 254
                  },
                  "displayName": {
                    "type": "string",
                    "maxLength": 100
                  },
                  "headline": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "bio": {
                    "type": "string",
                    "maxLength": 4000
                  },
                  "roles": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Role"
                    },
                    "minItems": 1
                  },
                  "networks": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "pattern": "^[a-z0-9-]{1,64}$"
                    },
                    "minItems": 1,
                    "maxItems": 20
                  },
                  "organization": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "department": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "location": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "timezone": {
                    "type": "string",
                    "description": "IANA name, e.g. Europe/Berlin"
                  },
                  "languages": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "pattern": "^[a-z]{2}$"
                    },
                    "minItems": 1,
                    "maxItems": 10
                  },
                  "yearsOfExperience": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 70
                  },
                  "expertise": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Expertise"
                    },
                    "maxItems": 30
                  },
                  "learningGoals": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/LearningGoal"
                    },
                    "maxItems": 20
                  },
                  "mentoringCapacity": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 20
                  },
                  "availability": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/AvailabilityWindow"
                    },
                    "maxItems": 50
                  },
                  "preferences": {
                    "$ref": "#/components/schemas/MatchPreferences"
                  }
                },
                "required": [
                  "email",
                  "displayName",
                  "roles",
                  "networks",
                  "timezone",
                  "languages"
                ]
              },
              "MemberPatch": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "email": {
                    "type": "string",
                    "format": "email",
                    "maxLength": 254
                  },
                  "displayName": {
                    "type": "string",
                    "maxLength": 100
                  },
                  "headline": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "bio": {
                    "type": "string",
                    "maxLength": 4000
                  },
                  "roles": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Role"
                    },
                    "minItems": 1
                  },
                  "networks": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "pattern": "^[a-z0-9-]{1,64}$"
                    },
                    "minItems": 1,
                    "maxItems": 20
                  },
                  "organization": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "department": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "location": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "timezone": {
                    "type": "string",
                    "description": "IANA name, e.g. Europe/Berlin"
                  },
                  "languages": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "pattern": "^[a-z]{2}$"
                    },
                    "minItems": 1,
                    "maxItems": 10
                  },
                  "yearsOfExperience": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 70
                  },
                  "expertise": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Expertise"
                    },
                    "maxItems": 30
                  },
                  "learningGoals": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/LearningGoal"
                    },
                    "maxItems": 20
                  },
                  "mentoringCapacity": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 20
                  },
                  "availability": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/AvailabilityWindow"
                    },
                    "maxItems": 50
                  },
                  "preferences": {
                    "$ref": "#/components/schemas/MatchPreferences"
                  },
                  "version": {
                    "type": [
                      "string",
                      "integer"
                    ],
                    "description": "The version the client read (or use If-Match)."
                  }
                },
                "minProperties": 1
              },
              "Error": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "error"
                ],
                "properties": {
                  "error": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "code",
                      "message",
                      "details"
                    ],
                    "properties": {
                      "code": {
                        "type": "string",
                        "description": "gRPC status code name"
                      },
                      "message": {
                        "type": "string"
                      },
                      "details": {
                        "type": "array",
                        "items": {
                          "type": "object",
                          "additionalProperties": false,
                          "required": [
                            "field",
                            "description"
                          ],
                          "properties": {
                            "field": {
                              "type": "string"
                            },
                            "description": {
                              "type": "string"
                            }
                          }
                        }
                      }
                    }
                  }
                }
              },
              "Readiness": {
                "type": "object",
                "required": [
                  "status",
                  "backends"
                ],
                "properties": {
                  "status": {
                    "type": "string",
                    "enum": [
                      "ready",
                      "not ready"
                    ]
                  },
                  "backends": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "string"
                    }
                  }
                }
              },
              "MatchProposal": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "network",
                  "mentorId",
                  "menteeId"
                ],
                "properties": {
                  "network": {
                    "type": "string",
                    "pattern": "^[a-z0-9-]{1,64}$"
                  },
                  "kind": {
                    "$ref": "#/components/schemas/MatchKind"
                  },
                  "mentorId": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  },
                  "menteeId": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  },
                  "origin": {
                    "type": "string",
                    "enum": [
                      "MATCH_ORIGIN_REQUESTED",
                      "MATCH_ORIGIN_SUGGESTION",
                      "MATCH_ORIGIN_ADMIN"
                    ],
                    "default": "MATCH_ORIGIN_REQUESTED"
                  },
                  "requestedBy": {
                    "type": "string",
                    "description": "The partner asking (who thereby accepts); empty for an administrator's proposal"
                  }
                }
              },
              "MatchAction": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "memberId"
                ],
                "properties": {
                  "memberId": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  },
                  "reason": {
                    "type": "string",
                    "maxLength": 500
                  },
                  "version": {
                    "type": [
                      "string",
                      "integer"
                    ],
                    "description": "The version read; a stale one is 409"
                  }
                }
              },
              "MatchEnd": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "memberId",
                  "outcome"
                ],
                "properties": {
                  "memberId": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  },
                  "outcome": {
                    "type": "string",
                    "enum": [
                      "MATCH_STATE_COMPLETED",
                      "MATCH_STATE_ENDED"
                    ]
                  },
                  "reason": {
                    "type": "string",
                    "maxLength": 500,
                    "description": "Required to end early"
                  },
                  "version": {
                    "type": [
                      "string",
                      "integer"
                    ]
                  }
                }
              },
              "RoundRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "network"
                ],
                "properties": {
                  "network": {
                    "type": "string",
                    "pattern": "^[a-z0-9-]{1,64}$"
                  },
                  "objective": {
                    "type": "string",
                    "enum": [
                      "ROUND_OBJECTIVE_MAX_SCORE",
                      "ROUND_OBJECTIVE_MAX_PARTICIPATION"
                    ],
                    "default": "ROUND_OBJECTIVE_MAX_SCORE"
                  },
                  "minimumScore": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 100,
                    "default": 30
                  },
                  "seed": {
                    "type": [
                      "string",
                      "integer"
                    ],
                    "default": 1
                  },
                  "mutual": {
                    "type": "boolean",
                    "default": true
                  }
                }
              }
            }
          }
        }
        """#
}
