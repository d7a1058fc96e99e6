import MatchingV1
import ProfilesV1

/// The OpenAPI 3.1 document served at `/openapi.json`. Tests validate it and check real
/// responses against its schemas, so it cannot drift from what the gateway does.
enum OpenAPIDocument {
    /// The document as JSON.
    static let json = #"""
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
                          "$ref": "#/components/schemas/MemberList"
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
                          "$ref": "#/components/schemas/SuggestionList"
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
                          "$ref": "#/components/schemas/MatchList"
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
              "Role": {
                "type": "string",
                "enum": [
                  "ROLE_MENTOR",
                  "ROLE_MENTEE"
                ]
              },
              "MemberStatus": {
                "type": "string",
                "enum": [
                  "MEMBER_STATUS_ACTIVE",
                  "MEMBER_STATUS_PAUSED",
                  "MEMBER_STATUS_DEACTIVATED"
                ]
              },
              "Expertise": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "skill": {
                    "type": "string",
                    "maxLength": 64
                  },
                  "level": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 5
                  }
                },
                "required": [
                  "skill",
                  "level"
                ]
              },
              "LearningGoal": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "skill": {
                    "type": "string",
                    "maxLength": 64
                  },
                  "priority": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 5
                  }
                },
                "required": [
                  "skill",
                  "priority"
                ]
              },
              "AvailabilityWindow": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "weekday": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 7
                  },
                  "startMinute": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 1439
                  },
                  "endMinute": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 1440
                  }
                },
                "required": [
                  "weekday",
                  "startMinute",
                  "endMinute"
                ]
              },
              "MatchPreferences": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "oneWay": {
                    "type": "boolean"
                  },
                  "mutual": {
                    "type": "boolean"
                  },
                  "organization": {
                    "type": "string",
                    "enum": [
                      "ORGANIZATION_PREFERENCE_ANY",
                      "ORGANIZATION_PREFERENCE_SAME",
                      "ORGANIZATION_PREFERENCE_OTHER"
                    ]
                  }
                }
              },
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
              "Member": {
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
                  "id": {
                    "type": "string"
                  },
                  "status": {
                    "$ref": "#/components/schemas/MemberStatus"
                  },
                  "version": {
                    "type": "string",
                    "description": "uint64 as a string (proto3 JSON)"
                  },
                  "createdAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "updatedAt": {
                    "type": "string",
                    "format": "date-time"
                  }
                },
                "required": [
                  "id",
                  "email",
                  "displayName",
                  "headline",
                  "bio",
                  "roles",
                  "networks",
                  "organization",
                  "department",
                  "location",
                  "timezone",
                  "languages",
                  "yearsOfExperience",
                  "expertise",
                  "learningGoals",
                  "mentoringCapacity",
                  "availability",
                  "preferences",
                  "status",
                  "version",
                  "createdAt",
                  "updatedAt"
                ]
              },
              "MemberList": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "members": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Member"
                    }
                  },
                  "nextPageToken": {
                    "type": "string"
                  }
                },
                "required": [
                  "members"
                ]
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
              "MatchKind": {
                "type": "string",
                "enum": [
                  "MATCH_KIND_ONE_WAY",
                  "MATCH_KIND_MUTUAL"
                ]
              },
              "MatchOrigin": {
                "type": "string",
                "enum": [
                  "MATCH_ORIGIN_REQUESTED",
                  "MATCH_ORIGIN_SUGGESTION",
                  "MATCH_ORIGIN_ROUND",
                  "MATCH_ORIGIN_ADMIN"
                ]
              },
              "MatchState": {
                "type": "string",
                "enum": [
                  "MATCH_STATE_PROPOSED",
                  "MATCH_STATE_ACTIVE",
                  "MATCH_STATE_DECLINED",
                  "MATCH_STATE_WITHDRAWN",
                  "MATCH_STATE_EXPIRED",
                  "MATCH_STATE_COMPLETED",
                  "MATCH_STATE_ENDED"
                ]
              },
              "ScorePart": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "criterion",
                  "points"
                ],
                "properties": {
                  "criterion": {
                    "type": "string",
                    "enum": [
                      "availability",
                      "coverage",
                      "experience",
                      "organization"
                    ]
                  },
                  "points": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 100
                  }
                }
              },
              "Suggestion": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "candidateId",
                  "kind",
                  "score",
                  "scoreParts",
                  "focusSkills",
                  "reverseFocusSkills",
                  "explanation"
                ],
                "properties": {
                  "candidateId": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                  },
                  "kind": {
                    "$ref": "#/components/schemas/MatchKind"
                  },
                  "score": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 100
                  },
                  "scoreParts": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/ScorePart"
                    },
                    "description": "Points per criterion; they add up to the score."
                  },
                  "focusSkills": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "What the candidate teaches the member, most wanted first"
                  },
                  "reverseFocusSkills": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "Mutual: what the member teaches the candidate"
                  },
                  "explanation": {
                    "type": "string"
                  }
                }
              },
              "SuggestionList": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "suggestions"
                ],
                "properties": {
                  "suggestions": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Suggestion"
                    }
                  }
                }
              },
              "Match": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "network",
                  "kind",
                  "mentorId",
                  "menteeId",
                  "focusSkills",
                  "reverseFocusSkills",
                  "score",
                  "scoreParts",
                  "explanation",
                  "origin",
                  "state",
                  "mentorAccepted",
                  "menteeAccepted",
                  "reason",
                  "roundId",
                  "version",
                  "createdAt",
                  "updatedAt",
                  "expiresAt"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "pattern": "^mat_[0-9a-hjkmnp-tv-z]{26}$"
                  },
                  "network": {
                    "type": "string"
                  },
                  "kind": {
                    "$ref": "#/components/schemas/MatchKind"
                  },
                  "mentorId": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$",
                    "description": "One-way: the mentor. Mutual: the partner whose id sorts first."
                  },
                  "menteeId": {
                    "type": "string",
                    "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$",
                    "description": "One-way: the mentee. Mutual: the other partner."
                  },
                  "focusSkills": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "reverseFocusSkills": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "score": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 100
                  },
                  "scoreParts": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/ScorePart"
                    },
                    "description": "Points per criterion; they add up to the score."
                  },
                  "explanation": {
                    "type": "string"
                  },
                  "origin": {
                    "$ref": "#/components/schemas/MatchOrigin"
                  },
                  "state": {
                    "$ref": "#/components/schemas/MatchState"
                  },
                  "mentorAccepted": {
                    "type": "boolean"
                  },
                  "menteeAccepted": {
                    "type": "boolean"
                  },
                  "reason": {
                    "type": "string"
                  },
                  "roundId": {
                    "type": "string"
                  },
                  "version": {
                    "type": "string",
                    "pattern": "^[0-9]+$"
                  },
                  "createdAt": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "updatedAt": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "expiresAt": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  }
                }
              },
              "MatchList": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "matches"
                ],
                "properties": {
                  "matches": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Match"
                    }
                  },
                  "nextPageToken": {
                    "type": "string"
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
              },
              "RoundPairKey": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "kind",
                  "mentorId",
                  "menteeId"
                ],
                "properties": {
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
                  }
                }
              },
              "Round": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "network",
                  "objective",
                  "minimumScore",
                  "seed",
                  "mutual",
                  "state",
                  "feedPosition",
                  "menteeCount",
                  "mentorCount",
                  "matchedMentees",
                  "oneWayScore",
                  "mutualScore",
                  "pairs",
                  "unmatched",
                  "previousRoundId",
                  "added",
                  "removed",
                  "kept",
                  "createdAt",
                  "publishedAt"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "pattern": "^rnd_[0-9a-hjkmnp-tv-z]{26}$"
                  },
                  "network": {
                    "type": "string"
                  },
                  "objective": {
                    "type": "string",
                    "enum": [
                      "ROUND_OBJECTIVE_MAX_SCORE",
                      "ROUND_OBJECTIVE_MAX_PARTICIPATION"
                    ]
                  },
                  "minimumScore": {
                    "type": "number"
                  },
                  "seed": {
                    "type": "string",
                    "pattern": "^[0-9]+$"
                  },
                  "mutual": {
                    "type": "boolean"
                  },
                  "state": {
                    "type": "string",
                    "enum": [
                      "ROUND_STATE_DRY_RUN",
                      "ROUND_STATE_PUBLISHED"
                    ]
                  },
                  "feedPosition": {
                    "type": "string",
                    "pattern": "^[0-9]+$",
                    "description": "The profiles feed position the members were read at"
                  },
                  "menteeCount": {
                    "type": "integer"
                  },
                  "mentorCount": {
                    "type": "integer"
                  },
                  "matchedMentees": {
                    "type": "integer"
                  },
                  "oneWayScore": {
                    "type": "number"
                  },
                  "mutualScore": {
                    "type": "number"
                  },
                  "pairs": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "kind",
                        "mentorId",
                        "menteeId",
                        "score",
                        "scoreParts",
                        "focusSkills",
                        "reverseFocusSkills",
                        "explanation",
                        "matchId",
                        "notProposedReason"
                      ],
                      "properties": {
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
                        "score": {
                          "type": "number"
                        },
                        "scoreParts": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/ScorePart"
                          },
                          "description": "Points per criterion; they add up to the score."
                        },
                        "focusSkills": {
                          "type": "array",
                          "items": {
                            "type": "string"
                          }
                        },
                        "reverseFocusSkills": {
                          "type": "array",
                          "items": {
                            "type": "string"
                          }
                        },
                        "explanation": {
                          "type": "string"
                        },
                        "matchId": {
                          "type": "string",
                          "description": "After publishing: the match proposed"
                        },
                        "notProposedReason": {
                          "type": "string",
                          "description": "After publishing: why no match was proposed"
                        }
                      }
                    }
                  },
                  "unmatched": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "memberId",
                        "reason"
                      ],
                      "properties": {
                        "memberId": {
                          "type": "string",
                          "pattern": "^mbr_[0-9a-hjkmnp-tv-z]{26}$"
                        },
                        "reason": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "previousRoundId": {
                    "type": "string"
                  },
                  "added": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/RoundPairKey"
                    }
                  },
                  "removed": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/RoundPairKey"
                    }
                  },
                  "kept": {
                    "type": "integer"
                  },
                  "createdAt": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "publishedAt": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  }
                }
              }
            }
          }
        }
        """#
}
