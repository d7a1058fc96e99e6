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
              }
            }
          }
        }
        """#
}
