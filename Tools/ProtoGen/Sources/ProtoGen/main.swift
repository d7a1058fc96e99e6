import SwiftProtobufPluginLibrary

Generator.main()
